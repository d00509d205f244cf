package org.vigil.analytics;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One NEWS2 assessment of a patient. An input that is missing or older than its freshness window is
 * not scored as normal: it is listed in {@code absent}, the score is incomplete, and its total (the
 * sum of the parameters that were scored) is only a lower bound — as is its risk band.
 *
 * @param id the stored score's id, 0 before it is stored
 * @param patientId whose score
 * @param effectiveAt the time the score describes: the patient's clock when it was computed
 * @param scale the SpO2 scale used
 * @param scored the parameters scored, each with its points and the reading behind them
 * @param absent the parameters not scored, and why
 */
public record News2Score(
    long id,
    String patientId,
    Instant effectiveAt,
    SpO2Scale scale,
    Map<News2Parameter, SubScore> scored,
    Map<News2Parameter, Absence> absent) {

  /** Points for one parameter, and the id of the reading (Observation) they were given for. */
  public record SubScore(int points, long inputId) {
    public SubScore {
      if (points < 0 || points > 3) {
        throw new IllegalArgumentException("a NEWS2 parameter scores 0 to 3, not " + points);
      }
    }
  }

  /**
   * Why a parameter was not scored.
   *
   * @param reason no reading at all, or only one older than the freshness window
   * @param lastInputId the last reading's id, when it was only stale
   */
  public record Absence(Reason reason, java.util.Optional<Long> lastInputId) {
    public enum Reason {
      MISSING,
      STALE
    }

    public static Absence missing() {
      return new Absence(Reason.MISSING, java.util.Optional.empty());
    }

    public static Absence stale(long lastInputId) {
      return new Absence(Reason.STALE, java.util.Optional.of(lastInputId));
    }
  }

  public News2Score {
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(effectiveAt, "effectiveAt");
    Objects.requireNonNull(scale, "scale");
    scored = Collections.unmodifiableMap(copy(scored));
    absent = Collections.unmodifiableMap(copy(absent));
    for (News2Parameter p : News2Parameter.values()) {
      if (scored.containsKey(p) == absent.containsKey(p)) {
        throw new IllegalArgumentException(p + " must be either scored or absent");
      }
    }
  }

  private static <V> Map<News2Parameter, V> copy(Map<News2Parameter, V> map) {
    EnumMap<News2Parameter, V> copy = new EnumMap<>(News2Parameter.class);
    copy.putAll(map);
    return copy;
  }

  /** The sum of the scored parameters; the aggregate NEWS2 when the score is complete. */
  public int total() {
    return scored.values().stream().mapToInt(SubScore::points).sum();
  }

  public boolean complete() {
    return absent.isEmpty();
  }

  /** Whether any single parameter scores 3 (a "red score"). */
  public boolean anySingleThree() {
    return scored.values().stream().anyMatch(s -> s.points() == 3);
  }

  /** The clinical risk; for an incomplete score the least the risk can be. */
  public RiskBand band() {
    return RiskBand.of(total(), anySingleThree());
  }

  /** The same points, scale and absences: a new reading that changes nothing of the score. */
  public boolean sameAssessmentAs(News2Score other) {
    return other != null
        && scale == other.scale
        && points().equals(other.points())
        && absent.keySet().equals(other.absent.keySet())
        && reasons().equals(other.reasons());
  }

  private Map<News2Parameter, Integer> points() {
    return scored.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().points()));
  }

  private Map<News2Parameter, Absence.Reason> reasons() {
    return absent.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().reason()));
  }

  public News2Score withId(long storedId) {
    return new News2Score(storedId, patientId, effectiveAt, scale, scored, absent);
  }
}
