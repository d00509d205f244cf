package org.vigil.telemedicine;

import java.time.Clock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reminds patients of their visits in the portal, {@code vigil.telemedicine.remind-before} ahead:
 * once per booking (again after the visit is moved), by whichever node marks it first.
 */
@Component
class VisitReminders {

  private final Appointments appointments;
  private final VisitNotices notices;
  private final TelemedicineProperties settings;
  private final Clock clock = Clock.systemUTC();

  VisitReminders(Appointments appointments, VisitNotices notices, TelemedicineProperties settings) {
    this.appointments = appointments;
    this.notices = notices;
    this.settings = settings;
  }

  @Scheduled(fixedDelayString = "${vigil.telemedicine.reminder-check:PT30S}")
  void remind() {
    for (Appointment due :
        appointments.dueForReminder(clock.instant().plus(settings.remindBefore()))) {
      if (appointments.markReminded(due.id())) {
        notices.tell(due, "reminder");
      }
    }
  }
}
