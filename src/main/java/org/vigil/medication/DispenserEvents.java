package org.vigil.medication;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.vigil.ingest.DeviceEventListener;
import org.vigil.ingest.DeviceEvents;
import org.vigil.normalize.InvalidMessageException;
import org.vigil.normalize.MessageProblem;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads dispenser and pill-bottle events ({@code dose-dispensed}, {@code compartment-opened},
 * {@code dose-missed}, {@code refill-needed}) as evidence of intake, stored with the event. An
 * event names its medicine by {@code "medicationRequest": "MedicationRequest/<id>"} or by the
 * dispenser {@code "compartment"} that holds it — one event for a compartment that holds several of
 * the patient's medicines (a weekly organiser's morning slot) is evidence for each. A refill notice
 * may name neither.
 *
 * <p>An event that cannot be evidence — from a dispenser assigned to no patient, naming a medicine
 * that is not the patient's or a compartment that holds none — is refused: the device hears why and
 * the payload is kept as a dead letter, to replay once the schedule or assignment is right.
 */
@Component
class DispenserEvents implements DeviceEventListener {

  private final MedicationSchedules schedules;
  private final Intakes intakes;
  private final JsonMapper json = JsonMapper.builder().build();

  DispenserEvents(MedicationSchedules schedules, Intakes intakes) {
    this.schedules = schedules;
    this.intakes = intakes;
  }

  @Override
  public void stored(DeviceEvents.DeviceEvent event) {
    Optional<IntakeKind> kind = IntakeKind.ofDeviceEvent(event.type());
    if (kind.isEmpty()) {
      return;
    }
    if (event.patientId() == null) {
      throw new InvalidMessageException(
          MessageProblem.ofMessage(
              "the dispenser is assigned to no patient at "
                  + event.occurredAt()
                  + ": its doses are no one's; assign it and replay the event"));
    }
    JsonNode body = json.readTree(event.body());
    List<DoseSchedule> which = new ArrayList<>();
    JsonNode request = body.get("medicationRequest");
    JsonNode compartment = body.get("compartment");
    if (request != null && !request.isNull()) {
      String id =
          request.isString() ? request.stringValue().replaceFirst("^MedicationRequest/", "") : "";
      Optional<DoseSchedule> named =
          schedules.find(id).filter(s -> s.patientId().equals(event.patientId()));
      if (named.isEmpty()) {
        throw new InvalidMessageException(
            new MessageProblem(
                "$.medicationRequest",
                "names no medicine of the dispenser's patient (MedicationRequest/<id>)"));
      }
      which.add(named.get());
    } else if (compartment != null && !compartment.isNull()) {
      if (!compartment.isIntegralNumber()
          || compartment.asLong() < 0
          || compartment.asLong() > 1000) {
        throw new InvalidMessageException(
            new MessageProblem("$.compartment", "must be a whole number from 0 to 1000"));
      }
      which.addAll(schedules.inCompartment(event.patientId(), compartment.asInt()));
      if (which.isEmpty()) {
        throw new InvalidMessageException(
            new MessageProblem(
                "$.compartment",
                "compartment "
                    + compartment.asInt()
                    + " holds none of the patient's active medicines"));
      }
    } else if (kind.get() != IntakeKind.REFILL_NEEDED) {
      throw new InvalidMessageException(
          MessageProblem.ofMessage(
              "a "
                  + event.type()
                  + " event names its medicine: \"medicationRequest\" or \"compartment\""));
    }
    String source = "Device/" + event.deviceId();
    if (which.isEmpty()) {
      intakes.record(event.patientId(), Optional.empty(), kind.get(), event.occurredAt(), source);
    }
    for (DoseSchedule schedule : which) {
      intakes.record(
          event.patientId(), Optional.of(schedule.id()), kind.get(), event.occurredAt(), source);
    }
  }
}
