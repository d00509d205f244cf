package org.vigil.alarm;

/**
 * Told of every change to an alarm — raised, updated, escalated, snoozed, woken, acknowledged,
 * resolved — once it is stored, as the live stream is. An extension point for features above alarms
 * (FHIR Subscriptions on {@code Flag}, outbound webhooks) that alarms must not know. Called on the
 * thread that made the change, which may be the one evaluating a patient's readings: hand slow work
 * to another thread, and do not throw (a listener's failure is logged and does not undo the
 * change).
 */
@FunctionalInterface
public interface AlarmListener {

  void changed(Alarm alarm);

  /**
   * The same change, with the step of the alarm's history it was ({@link AlarmEvent.Kind#UPDATED}
   * also when a snooze ended). This is the one {@link Alarms} calls; listeners that need to know
   * what happened override it, the others only {@link #changed(Alarm)}.
   */
  default void changed(Alarm alarm, AlarmEvent.Kind what) {
    changed(alarm);
  }
}
