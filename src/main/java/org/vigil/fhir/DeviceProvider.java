package org.vigil.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;
import org.vigil.device.DeviceRegistry;

/** Devices, so that an Observation's device reference resolves. */
@Component
class DeviceProvider implements IResourceProvider {

  private final DeviceRegistry devices;

  DeviceProvider(DeviceRegistry devices) {
    this.devices = devices;
  }

  @Override
  public Class<Device> getResourceType() {
    return Device.class;
  }

  @Read
  public Device read(@IdParam IdType id) {
    org.vigil.device.Device device =
        devices.find(id.getIdPart()).orElseThrow(() -> new ResourceNotFoundException(id));
    Device fhir = new Device();
    fhir.setId(device.id());
    fhir.setStatus(
        device.isRevoked() ? Device.FHIRDeviceStatus.INACTIVE : Device.FHIRDeviceStatus.ACTIVE);
    fhir.addDeviceName()
        .setName(device.displayName())
        .setType(Device.DeviceNameType.USERFRIENDLYNAME);
    fhir.getType().setText(device.type());
    devices
        .currentPatient(device.id())
        .ifPresent(p -> fhir.setPatient(new Reference("Patient/" + p)));
    return fhir;
  }
}
