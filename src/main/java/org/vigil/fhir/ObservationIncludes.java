package org.vigil.fhir;

import ca.uhn.fhir.model.api.Include;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;
import org.vigil.patient.PatientRepository;

/**
 * {@code _include} for Observation searches: the patients and devices a page's Observations refer
 * to, each looked up once per page and added to the page as {@code include} entries.
 */
@Component
class ObservationIncludes {

  static final String PATIENT = "Observation:patient";
  static final String SUBJECT = "Observation:subject";
  static final String DEVICE = "Observation:device";

  private final PatientRepository patients;
  private final DeviceProvider devices;

  ObservationIncludes(PatientRepository patients, DeviceProvider devices) {
    this.patients = patients;
    this.devices = devices;
  }

  /** The include names a request asks for that Vigil serves. */
  static Set<String> of(Set<Include> includes) {
    return includes == null
        ? Set.of()
        : Set.copyOf(includes.stream().map(Include::getValue).toList());
  }

  /** The patients and devices the page refers to that {@code includes} asks for, each once. */
  List<Resource> resolve(List<Observation> page, Set<String> includes) {
    Map<String, Optional<? extends Resource>> found = new LinkedHashMap<>();
    if (includes.contains(PATIENT) || includes.contains(SUBJECT)) {
      lookUp(
          page,
          Observation::getSubject,
          id -> patients.find(id).map(PatientProvider::toFhir),
          found);
    }
    if (includes.contains(DEVICE)) {
      lookUp(page, Observation::getDevice, devices::find, found);
    }
    return found.values().stream().flatMap(Optional::stream).<Resource>map(r -> r).toList();
  }

  private static void lookUp(
      List<Observation> page,
      Function<Observation, Reference> reference,
      Function<String, Optional<? extends Resource>> lookup,
      Map<String, Optional<? extends Resource>> found) {
    for (Observation observation : page) {
      IIdType id = reference.apply(observation).getReferenceElement();
      if (id.hasIdPart()) {
        found.computeIfAbsent(
            id.getResourceType() + "/" + id.getIdPart(), k -> lookup.apply(id.getIdPart()));
      }
    }
  }
}
