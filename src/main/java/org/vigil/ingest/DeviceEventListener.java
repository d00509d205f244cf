package org.vigil.ingest;

import org.vigil.normalize.InvalidMessageException;

/**
 * Extension point: told of each device event ({@code devices/{id}/events}) as it is stored, in the
 * same transaction, so that what a feature makes of the event is durable exactly when the event is
 * (medication adherence records a dispenser's dose; others may watch device events too).
 *
 * <p>A listener that finds the event cannot mean what it says (a dose for a compartment that holds
 * no medicine) throws {@link InvalidMessageException}: then nothing of the event is stored, the
 * device hears the problem, and the payload is kept as a dead letter to replay once it is fixed.
 * Events of types a listener does not know are none of its business: it ignores them.
 */
public interface DeviceEventListener {

  void stored(DeviceEvents.DeviceEvent event);
}
