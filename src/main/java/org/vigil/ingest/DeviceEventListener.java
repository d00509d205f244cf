package org.vigil.ingest;

/**
 * Extension point: told of each device event once it is durable, on the transport's thread, in the
 * order the device sent them. A listener that fails is logged and does not fail the event: it is
 * stored, and the device has its acknowledgement.
 */
public interface DeviceEventListener {

  void eventRecorded(DeviceEvents.DeviceEvent event);
}
