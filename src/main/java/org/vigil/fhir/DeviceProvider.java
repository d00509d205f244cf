package org.vigil.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;
import org.vigil.device.DeviceDetails;
import org.vigil.device.DeviceRegistry;

/** Devices: read, list, or search by patient, so that an Observation's device resolves. */
@Component
class DeviceProvider implements IResourceProvider {

  /** Identifier system for Vigil's own device ids (what devices call themselves). */
  static final String DEVICE_ID_SYSTEM = "urn:vigil:device-id";

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
    return devices
        .find(id.getIdPart())
        .map(this::toFhir)
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  Optional<Device> find(String id) {
    return devices.find(id).map(this::toFhir);
  }

  @Search
  public List<Device> search(@OptionalParam(name = Device.SP_PATIENT) ReferenceParam patient) {
    if (patient != null) {
      return devices.devicesOf(patient.getIdPart()).stream()
          .map(devices::find)
          .flatMap(java.util.Optional::stream)
          .map(this::toFhir)
          .toList();
    }
    return devices.all().stream().map(this::toFhir).toList();
  }

  Device toFhir(org.vigil.device.Device device) {
    DeviceDetails details = device.details();
    Device fhir = new Device();
    fhir.setId(device.id());
    fhir.addIdentifier().setSystem(DEVICE_ID_SYSTEM).setValue(device.id());
    fhir.setStatus(
        device.isRevoked() ? Device.FHIRDeviceStatus.INACTIVE : Device.FHIRDeviceStatus.ACTIVE);
    fhir.addDeviceName()
        .setName(device.displayName())
        .setType(Device.DeviceNameType.USERFRIENDLYNAME);
    details.manufacturer().ifPresent(fhir::setManufacturer);
    details.model().ifPresent(fhir::setModelNumber);
    details.serialNumber().ifPresent(fhir::setSerialNumber);
    details.udi().ifPresent(udi -> fhir.addUdiCarrier().setCarrierHRF(udi));
    details
        .typeCode()
        .ifPresent(t -> fhir.getType().addCoding(new Coding(t.system(), t.code(), t.display())));
    fhir.getType().setText(device.type());
    devices
        .currentPatient(device.id())
        .ifPresent(p -> fhir.setPatient(new Reference("Patient/" + p)));
    return fhir;
  }
}
