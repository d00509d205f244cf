package org.vigil.patient;

import java.util.List;
import java.util.Optional;

/** Patients known to Vigil. */
public interface PatientRepository {

  void save(Patient patient);

  Optional<Patient> find(String id);

  Optional<Patient> findByMrn(String mrn);

  /** All patients, ordered by ward and bed, at most {@code limit} from {@code offset}. */
  List<Patient> findAll(int offset, int limit);

  long count();

  /** The ids of the patients on any of these wards. */
  java.util.Set<String> idsOnWards(java.util.Set<String> wards);

  /** The wards patients lie on, by name. */
  java.util.SortedSet<String> wards();

  /** The beds patients lie in, ordered by ward and bed. */
  List<Bed> beds();
}
