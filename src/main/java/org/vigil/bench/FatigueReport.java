package org.vigil.bench;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.vigil.alarm.Alarm;
import org.vigil.alarm.Alarms;
import org.vigil.alarm.ConditionOutcomes;
import org.vigil.simulate.CredentialsFile;
import org.vigil.simulate.GroundTruth;
import org.vigil.simulate.Scenario;
import org.vigil.simulate.ScenarioReader;
import org.vigil.simulate.Simulation;
import org.vigil.simulate.Summary;

/**
 * Issue 7's fatigue report: a simulated ward played faster than real time through a node's MQTT
 * listener — bedside monitors whose SpO2 probes come loose now and then — and what its alarms came
 * to. Every clinical alarm condition that began is one alarm a monitor without fatigue controls
 * would sound; {@link ConditionOutcomes} says what the controls made of each (cleared within the
 * condition delay, joined an alarm still open, suppressed), and the alarms Vigil actually raised
 * are scored against the run's ground truth: which injected episodes raised the alarm their type
 * calls for while they lasted.
 *
 * <p>The node's alarm timing (condition delay, hold-off, escalation) runs on the wall clock, so the
 * caller starts it with those durations divided by the speed: 15 s of a ward at 240× is 62.5 ms. An
 * alarm's simulated time is therefore its wall time mapped back through the speed — accurate to how
 * far the simulator fell behind its clock, which the report gives.
 */
public final class FatigueReport {

  /** The conditions each episode type must raise, any of which catches it. */
  static final Map<String, List<String>> CATCHES =
      Map.of(
          "sepsis", List.of("news2"),
          "respiratory-failure", List.of("news2", "limit:59408-5"),
          "hypotension", List.of("limit:8480-6"),
          "bradycardia", List.of("limit:8867-4", "news2"),
          "tachycardia", List.of("limit:8867-4", "news2"),
          "hypoglycaemia", List.of("limit:2339-0"));

  private static final List<String> EPISODES =
      List.of(
          "sepsis",
          "respiratory-failure",
          "hypotension",
          "bradycardia",
          "tachycardia",
          "hypoglycaemia");

  /**
   * What to play.
   *
   * @param patients beds on the ward; the first six each have one episode, one of each type
   * @param duration the simulated span
   * @param speed simulated seconds per wall second
   * @param seed physiology and faults
   * @param numericsInterval how often monitors report heart rate, SpO2 and respiratory rate
   * @param names the prefix of the ward's patient and device ids
   */
  public record Settings(
      int patients,
      Duration duration,
      double speed,
      long seed,
      Duration numericsInterval,
      String names) {

    public Settings {
      if (patients < EPISODES.size()) {
        throw new IllegalArgumentException(
            "--patients: at least " + EPISODES.size() + ", one for each episode type");
      }
      if (duration.compareTo(Duration.ofHours(6)) < 0) {
        throw new IllegalArgumentException("--duration: at least PT6H, for the episodes to fit");
      }
    }

    /** Patient {@code i}'s id (from 0). */
    public String patient(int i) {
      return String.format("%sbed-%03d", names, i + 1);
    }

    double patientDays() {
      return patients * (duration.toSeconds() / 86_400.0);
    }
  }

  /** One injected episode and what caught it. */
  public record Episode(
      String type,
      String patientId,
      String onset,
      String end,
      boolean caught,
      Optional<String> caughtBy,
      Optional<Long> minutesToAlarm) {}

  /**
   * The report.
   *
   * @param began clinical alarm conditions that began: the alarms a ward without fatigue controls
   *     would hear
   * @param outcomes what the controls made of them
   * @param clinicalAlarms alarms Vigil raised for clinical conditions
   * @param clinicalAlarmsByCondition the same, by condition
   * @param technicalAlarms alarms raised for devices (offline, battery), apart from clinical ones
   * @param unexplainedAlarms clinical alarms outside every episode's span on its patient (nuisance
   *     alarms, as far as the ground truth knows)
   * @param overrunSeconds how much longer than the scenario's length at its speed the run took (the
   *     simulator falling behind its clock, and its last answers): alarm times mapped back to
   *     simulated time are this far off at most
   */
  public record Result(
      int patients,
      String simulated,
      double speed,
      long seed,
      double patientDays,
      long began,
      Map<String, Long> outcomes,
      long stillWaiting,
      long clinicalAlarms,
      Map<String, Long> clinicalAlarmsByCondition,
      long technicalAlarms,
      long unexplainedAlarms,
      double withoutControlsPerPatientDay,
      double withControlsPerPatientDay,
      List<Episode> episodes,
      long episodesCaught,
      Summary simulator,
      double overrunSeconds) {}

  private final Settings settings;
  private final Alarms alarms;
  private final ConditionOutcomes outcomes;
  private final Consumer<Instant> round;

  /**
   * @param round records the nurse's observation round (consciousness, air or oxygen) for every
   *     patient, dated at the simulated time given; called at the start and every four simulated
   *     hours, so that NEWS2 is complete as on a ward whose nurses do their rounds
   */
  public FatigueReport(
      Settings settings, Alarms alarms, ConditionOutcomes outcomes, Consumer<Instant> round) {
    this.settings = settings;
    this.alarms = alarms;
    this.outcomes = outcomes;
    this.round = round;
  }

  /** The ward played: who lies there, what befalls whom and when. */
  public Scenario scenario() {
    return new ScenarioReader().parse(scenarioJson(), "the fatigue ward");
  }

  /** The kinds of device patient {@code i} (from 0) wears. */
  public static List<String> devicesOf(int i) {
    return i == EPISODES.indexOf("hypoglycaemia")
        ? List.of("bedside-monitor", "temperature-patch", "glucose-monitor")
        : List.of("bedside-monitor", "temperature-patch");
  }

  String scenarioJson() {
    StringBuilder patients = new StringBuilder();
    for (int i = 0; i < settings.patients(); i++) {
      int patient = i;
      String devices =
          String.join(
              ", ",
              devicesOf(i).stream()
                  .map(k ->
                      "{\"kind\": \""
                          + k
                          + "\", \"transport\": \"mqtt\""
                          + (k.equals("bedside-monitor") ? probeOffs(patient) : "")
                          + "}")
                  .toList());
      patients
          .append(i == 0 ? "" : ",\n")
          .append(
              String.format(
                  "{\"id\": \"%s\", \"seed\": %d, \"devices\": [%s]}",
                  settings.patient(i), settings.seed() + i, devices));
    }
    // one episode of each type, each lasting an eighth of the span, the first beginning after a
    // twelfth and the next ones every 13 %: none overlap, and the last ends before the span does
    Duration span = settings.duration();
    Duration each = span.dividedBy(8);
    StringBuilder episodes = new StringBuilder();
    for (int i = 0; i < EPISODES.size(); i++) {
      String type = EPISODES.get(i);
      Duration onset = span.dividedBy(12).plus(span.multipliedBy(13 * i).dividedBy(100));
      double severity = type.equals("sepsis") ? 1.2 : type.equals("hypotension") ? 1.3 : 1.0;
      episodes
          .append(i == 0 ? "" : ",\n")
          .append(
              String.format(
                  java.util.Locale.ROOT,
                  "{\"type\": \"%s\", \"patient\": \"%s\", \"onset\": \"%s\", \"duration\":"
                      + " \"%s\", \"ramp\": \"PT20M\", \"severity\": %.1f}",
                  type,
                  settings.patient(i),
                  onset,
                  each,
                  severity));
    }
    String numerics = settings.numericsInterval().toString();
    return String.format(
        """
        {"name": "fatigue-ward", "duration": "%s", "seed": %d,
         "intervals": {"heartRate": "%s", "oxygenSaturation": "%s", "respiratoryRate": "%s",
                       "glucose": "PT1M"},
         "faults": {"duplicate": 0.001, "outOfOrder": 0.001},
         "patients": [%s],
         "episodes": [%s]}
        """,
        span, settings.seed(), numerics, numerics, numerics, patients, episodes);
  }

  /**
   * A loose SpO2 probe: every patient's monitor loses it for ten minutes about twice a day, at
   * times of its own — the artefacts a ward's oximeters produce, which must not sound as
   * desaturations.
   */
  private String probeOffs(int i) {
    long hours = settings.duration().toHours();
    List<String> periods = new ArrayList<>();
    for (long n = 0; n < Math.max(1, hours / 12); n++) {
      Duration at = Duration.ofHours(n * 12).plus(Duration.ofMinutes(37L * (i + 1) % 300 + 20));
      if (at.plus(Duration.ofMinutes(10)).compareTo(settings.duration()) < 0) {
        periods.add("{\"at\": \"" + at + "\", \"duration\": \"PT10M\"}");
      }
    }
    return periods.isEmpty()
        ? ""
        : ", \"faults\": {\"probeOff\": [" + String.join(", ", periods) + "]}";
  }

  /** Plays the ward through {@code mqtt} with the devices' {@code credentials}. */
  public Result run(URI mqtt, List<CredentialsFile.Entry> credentials) throws InterruptedException {
    Scenario scenario = scenario();
    Instant start = Simulation.defaultStart(Instant.now(), scenario, settings.speed());
    Simulation simulation =
        Simulation.of(
            scenario,
            credentials,
            Optional.empty(),
            new Simulation.Settings(
                start, settings.speed(), Optional.of(settings.seed()), Map.of(), 1000, 64),
            Optional.empty(),
            Optional.of(mqtt),
            Optional.empty());
    ConditionOutcomes.Counts before = outcomes.counts();
    long wallStart = System.nanoTime();
    Summary summary;
    ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor();
    try (simulation) {
      long every = (long) (Duration.ofHours(4).toMillis() / settings.speed());
      rounds.scheduleAtFixedRate(
          () -> round.accept(simulatedAt(start, wallStart, System.nanoTime())),
          0,
          Math.max(1, every),
          TimeUnit.MILLISECONDS);
      summary = simulation.run(Duration.ofSeconds(60));
    } finally {
      rounds.shutdownNow();
      rounds.awaitTermination(10, TimeUnit.SECONDS);
    }
    long wallEnd = System.nanoTime();
    // the last conditions wait out their (scaled) delay before they are counted
    Thread.sleep(Math.max(200, (long) (60_000 / settings.speed())));
    double lag =
        Math.max(
            0, (wallEnd - wallStart) / 1e9 - scenario.duration().toSeconds() / settings.speed());
    return score(simulation.groundTruth(), start, wallStart, summary, before, lag);
  }

  private Instant simulatedAt(Instant start, long wallStart, long wallNow) {
    return start.plusMillis((long) ((wallNow - wallStart) / 1e6 * settings.speed()));
  }

  private Result score(
      GroundTruth truth,
      Instant start,
      long wallStartNanos,
      Summary summary,
      ConditionOutcomes.Counts before,
      double lag) {
    Instant wallStart = Instant.now().minusNanos(System.nanoTime() - wallStartNanos);
    Map<String, List<Alarm>> byPatient = new LinkedHashMap<>();
    long clinical = 0;
    long technical = 0;
    for (int i = 0; i < settings.patients(); i++) {
      String patient = settings.patient(i);
      List<Alarm> theirs = new ArrayList<>();
      for (Alarm alarm : alarms.ofPatient(patient, 100_000)) {
        if (alarm.condition().startsWith("device-")) {
          technical++;
        } else {
          clinical++;
          theirs.add(alarm);
        }
      }
      byPatient.put(patient, theirs);
    }
    List<Episode> episodes = new ArrayList<>();
    List<Alarm> explained = new ArrayList<>();
    Duration slack = Duration.ofMinutes(5);
    for (GroundTruth.EpisodeTruth e : truth.episodes()) {
      Instant onset = Instant.parse(e.onset());
      Instant end = Instant.parse(e.end());
      Optional<Alarm> first = Optional.empty();
      for (Alarm alarm : byPatient.getOrDefault(e.patientId(), List.of())) {
        Instant at = simulated(alarm.raisedAt(), wallStart, start);
        boolean during = !at.isBefore(onset) && at.isBefore(end.plus(slack));
        if (during) {
          explained.add(alarm);
          if (CATCHES.getOrDefault(e.type(), List.of()).contains(alarm.condition())
              && (first.isEmpty() || alarm.raisedAt().isBefore(first.get().raisedAt()))) {
            first = Optional.of(alarm);
          }
        }
      }
      episodes.add(
          new Episode(
              e.type(),
              e.patientId(),
              e.onset(),
              e.end(),
              first.isPresent(),
              first.map(a -> a.condition() + " " + a.priority().name().toLowerCase()),
              first.map(a ->
                  Duration.between(onset, simulated(a.raisedAt(), wallStart, start)).toMinutes())));
    }
    long unexplained =
        byPatient.values().stream()
            .flatMap(List::stream)
            .filter(a -> explained.stream().noneMatch(x -> x.id() == a.id()))
            .count();
    ConditionOutcomes.Counts after = outcomes.counts();
    Map<String, Long> made = new LinkedHashMap<>();
    long ended = 0;
    for (ConditionOutcomes.Outcome outcome : ConditionOutcomes.Outcome.values()) {
      long n = after.of(outcome) - before.of(outcome);
      made.put(outcome.tag(), n);
      ended += n;
    }
    long began = after.began() - before.began();
    double days = settings.patientDays();
    return new Result(
        settings.patients(),
        settings.duration().toString(),
        settings.speed(),
        settings.seed(),
        days,
        began,
        made,
        began - ended,
        clinical,
        byCondition(byPatient),
        technical,
        unexplained,
        began / days,
        clinical / days,
        episodes,
        episodes.stream().filter(Episode::caught).count(),
        summary,
        lag);
  }

  /** Clinical alarms raised, by condition (NEWS2, each vital's limit, each trend), most first. */
  private static Map<String, Long> byCondition(Map<String, List<Alarm>> byPatient) {
    Map<String, Long> counts = new java.util.TreeMap<>();
    byPatient.values().stream()
        .flatMap(List::stream)
        .forEach(a -> counts.merge(a.condition(), 1L, Long::sum));
    Map<String, Long> sorted = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  private Instant simulated(Instant wall, Instant wallStart, Instant start) {
    return start.plusMillis(
        (long) (Duration.between(wallStart, wall).toMillis() * settings.speed()));
  }
}
