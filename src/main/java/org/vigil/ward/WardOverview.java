package org.vigil.ward;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.vigil.alarm.Alarm;
import org.vigil.alarm.AlarmStatus;
import org.vigil.alarm.Alarms;
import org.vigil.analytics.EarlyWarningScores;
import org.vigil.analytics.News2Score;
import org.vigil.device.DeviceHealth;
import org.vigil.device.DeviceRepository;
import org.vigil.device.DeviceStatus;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;

/**
 * The ward overview: one tile per patient the caller may see, sickest first — by the highest open
 * alarm, then the NEWS2 risk band and total, then ward and bed.
 */
@Component
public class WardOverview {

  /** The vital signs a tile shows, in the order a nurse reads them. */
  static final List<String> VITAL_CODES =
      List.of(
          MeasurementCatalog.HEART_RATE,
          MeasurementCatalog.OXYGEN_SATURATION,
          MeasurementCatalog.RESPIRATORY_RATE,
          MeasurementCatalog.SYSTOLIC_BP,
          MeasurementCatalog.DIASTOLIC_BP,
          MeasurementCatalog.BODY_TEMPERATURE,
          MeasurementCatalog.LEVEL_OF_CONSCIOUSNESS,
          MeasurementCatalog.INHALED_OXYGEN_FLOW,
          MeasurementCatalog.GLUCOSE_CAPILLARY);

  /** More patients than any ward has; a system caller sees every patient up to this. */
  private static final int MAX_PATIENTS = 500;

  private final PatientRepository patients;
  private final org.vigil.store.MeasurementStore store;
  private final EarlyWarningScores scores;
  private final Alarms alarms;
  private final DeviceRepository devices;
  private final DeviceHealth health;

  WardOverview(
      PatientRepository patients,
      org.vigil.store.MeasurementStore store,
      EarlyWarningScores scores,
      Alarms alarms,
      DeviceRepository devices,
      DeviceHealth health) {
    this.patients = patients;
    this.store = store;
    this.scores = scores;
    this.alarms = alarms;
    this.devices = devices;
    this.health = health;
  }

  /** Tiles of these patients (all patients when empty), sickest first. */
  public List<WardTile> tiles(Optional<Set<String>> only) {
    List<Patient> shown = new ArrayList<>();
    if (only.isPresent()) {
      for (String id : only.get()) {
        patients.find(id).ifPresent(shown::add);
      }
    } else {
      shown.addAll(patients.findAll(0, MAX_PATIENTS));
    }
    if (shown.isEmpty()) {
      return List.of();
    }
    Set<String> ids = new java.util.HashSet<>();
    shown.forEach(p -> ids.add(p.id()));
    Map<String, Map<String, Measurement>> latest = new HashMap<>();
    for (Measurement m : store.latest(ids, Set.copyOf(VITAL_CODES), 1)) {
      latest.computeIfAbsent(m.patientId(), p -> new HashMap<>()).putIfAbsent(m.code(), m);
    }
    Map<String, List<Alarm>> open = new HashMap<>();
    for (Alarm alarm : alarms.open(Optional.of(ids))) {
      open.computeIfAbsent(alarm.patientId(), p -> new ArrayList<>()).add(alarm);
    }
    List<WardTile> tiles = new ArrayList<>();
    for (Patient patient : shown) {
      tiles.add(
          new WardTile(
              patient.id(),
              patient.familyName() + ", " + patient.givenName(),
              patient.ward().orElse(null),
              patient.bed().orElse(null),
              vitals(latest.getOrDefault(patient.id(), Map.of())),
              news2(patient.id()),
              alarmSummary(open.getOrDefault(patient.id(), List.of())),
              devicesOf(patient.id())));
    }
    tiles.sort(SICKEST_FIRST);
    return tiles;
  }

  static final Comparator<WardTile> SICKEST_FIRST =
      Comparator.comparingInt((WardTile t) -> priorityRank(t.alarms().highestPriority()))
          .thenComparingInt(t -> t.news2() == null ? -1 : bandRank(t.news2().band()))
          .thenComparingInt(t -> t.news2() == null ? -1 : t.news2().total())
          .reversed()
          .thenComparing(t -> t.ward() == null ? "" : t.ward())
          .thenComparing(t -> t.bed() == null ? "" : t.bed())
          .thenComparing(WardTile::name);

  private static int priorityRank(String priority) {
    return priority == null ? 0 : List.of("low", "medium", "high").indexOf(priority) + 1;
  }

  private static int bandRank(String band) {
    return List.of("low", "low-medium", "medium", "high").indexOf(band);
  }

  private static List<WardTile.Vital> vitals(Map<String, Measurement> byCode) {
    Map<String, WardTile.Vital> ordered = new LinkedHashMap<>();
    for (String code : VITAL_CODES) {
      Measurement m = byCode.get(code);
      if (m != null) {
        ordered.put(code, vital(m));
      }
    }
    return List.copyOf(ordered.values());
  }

  static WardTile.Vital vital(Measurement m) {
    return new WardTile.Vital(m.code(), m.value(), m.unit(), m.effectiveAt());
  }

  private WardTile.News2 news2(String patientId) {
    List<News2Score> lastTwo =
        scores.history(patientId, Optional.empty(), Optional.empty(), false, 2);
    if (lastTwo.isEmpty()) {
      return null;
    }
    return news2(
        lastTwo.get(0), lastTwo.size() > 1 ? Optional.of(lastTwo.get(1)) : Optional.empty());
  }

  static WardTile.News2 news2(News2Score score, Optional<News2Score> previous) {
    String trend =
        previous
            .map(p -> Integer.compare(score.total(), p.total()))
            .map(c -> c > 0 ? "up" : c < 0 ? "down" : "same")
            .orElse(null);
    return new WardTile.News2(
        score.total(),
        score.band().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
        score.band().display(),
        score.complete(),
        score.absent().keySet().stream()
            .map(p -> p.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
            .toList(),
        trend,
        score.effectiveAt());
  }

  private static WardTile.Alarms alarmSummary(List<Alarm> open) {
    if (open.isEmpty()) {
      return WardTile.Alarms.NONE;
    }
    Alarm highest = open.stream().max(Comparator.comparing(Alarm::priority)).orElseThrow();
    int active = (int) open.stream().filter(a -> a.status() == AlarmStatus.ACTIVE).count();
    java.time.Instant oldest =
        open.stream().map(Alarm::raisedAt).min(Comparator.naturalOrder()).orElseThrow();
    return new WardTile.Alarms(open.size(), active, highest.priority().code(), oldest);
  }

  private List<WardTile.DeviceState> devicesOf(String patientId) {
    List<WardTile.DeviceState> states = new ArrayList<>();
    for (String deviceId : devices.devicesOf(patientId)) {
      DeviceStatus status = health.status(deviceId);
      states.add(
          new WardTile.DeviceState(
              deviceId,
              status.online(),
              status.batteryPercent().isPresent() ? status.batteryPercent().getAsDouble() : null));
    }
    return states;
  }
}
