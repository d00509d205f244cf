package org.vigil.simulate;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One patient's vital signs at any moment of a scenario. Each vital is the patient's resting value,
 * plus a circadian swing (heart rate, pressure and temperature lowest in the small hours), plus the
 * effects of the episodes under way, plus a slow wander around that level (an Ornstein–Uhlenbeck
 * process, exact for any step, so a cuff reading every 15 minutes and a monitor every second walk
 * the same way), plus each reading's measurement noise.
 *
 * <p>Deterministic: the same seed and the same sampling times give the same values. Every vital
 * draws from its own generator, so how often one vital is sampled never changes another. Samples of
 * one vital must come in time order. Plausible, not a physiological model.
 */
final class Physiology {

  /** How long the wander takes to forget where it was. */
  private static final double WANDER_SECONDS = 600;

  /** Diastolic pressure stays at least this far below systolic. */
  private static final double MIN_PULSE_PRESSURE = 15;

  private final Instant start;
  private final ZoneId zone;
  private final List<Scenario.Episode> episodes;
  private final Map<Vital, Double> resting = new EnumMap<>(Vital.class);
  private final Map<Vital, Walk> walks = new EnumMap<>(Vital.class);

  /**
   * @param given resting values the scenario sets; the others are drawn from the seed
   * @param episodes this patient's episodes
   * @param start the scenario's start, from which episodes are timed
   */
  Physiology(
      Map<String, Double> given,
      long seed,
      List<Scenario.Episode> episodes,
      Instant start,
      ZoneId zone) {
    this.start = start;
    this.zone = zone;
    this.episodes = List.copyOf(episodes);
    SplittableRandom random = new SplittableRandom(seed);
    for (Vital vital : Vital.values()) {
      // Drawn whether or not the scenario sets it, so that setting one never changes the rest.
      double drawn =
          vital.restingLow() + random.nextDouble() * (vital.restingHigh() - vital.restingLow());
      resting.put(vital, given.getOrDefault(vital.jsonName(), drawn));
      walks.put(vital, new Walk(vital, random.split()));
    }
    double systolic = resting.get(Vital.SYSTOLIC);
    if (!given.containsKey(Vital.DIASTOLIC.jsonName())) {
      resting.put(
          Vital.DIASTOLIC,
          Math.min(resting.get(Vital.DIASTOLIC), systolic - 2 * MIN_PULSE_PRESSURE));
    }
  }

  double resting(Vital vital) {
    return resting.get(vital);
  }

  /** Where the vital is drawn toward at this moment: resting, circadian rhythm and episodes. */
  double expected(Vital vital, Instant at) {
    double level = resting.get(vital) + circadian(vital, at);
    Duration offset = Duration.between(start, at);
    for (Scenario.Episode episode : episodes) {
      double severity = episode.severityAt(offset);
      if (severity > 0) {
        for (EpisodeKind.Effect effect : episode.type().effects()) {
          if (effect.vital() == vital) {
            // from the level so far, circadian rhythm included: a bradycardia's 38 /min is 38 at
            // 4 pm as at 4 am, so that what an episode does does not depend on the time of day
            level += effect.offset(level, severity);
          }
        }
      }
    }
    if (vital == Vital.DIASTOLIC) {
      level = Math.min(level, expected(Vital.SYSTOLIC, at) - MIN_PULSE_PRESSURE);
    }
    return level;
  }

  /** A device's reading of the vital at {@code at}: later than the vital's previous sample. */
  double sample(Vital vital, Instant at) {
    return vital.round(expected(vital, at) + walks.get(vital).step(at));
  }

  private double circadian(Vital vital, Instant at) {
    if (vital.circadianAmplitude() == 0) {
      return 0;
    }
    double hour = LocalTime.ofInstant(at, zone).toSecondOfDay() / 3600.0;
    return vital.circadianAmplitude()
        * Math.cos(2 * Math.PI * (hour - vital.circadianPeakHour()) / 24);
  }

  /** The slow wander of one vital around its level, and the noise of each reading. */
  private static final class Walk {
    private final Vital vital;
    private final SplittableRandom random;
    private double deviation;
    private Instant last;

    Walk(Vital vital, SplittableRandom random) {
      this.vital = vital;
      this.random = random;
      this.deviation = vital.wander() * random.nextGaussian();
    }

    double step(Instant at) {
      if (last != null) {
        double seconds = Math.max(0, Duration.between(last, at).toMillis() / 1000.0);
        double keep = Math.exp(-seconds / WANDER_SECONDS);
        deviation =
            deviation * keep + vital.wander() * Math.sqrt(1 - keep * keep) * random.nextGaussian();
      }
      last = at;
      return deviation + vital.noise() * random.nextGaussian();
    }
  }
}
