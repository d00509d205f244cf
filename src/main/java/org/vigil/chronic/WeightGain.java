package org.vigil.chronic;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The heart-failure weight rule: a sudden gain of more than 2 kg in 3 days is a sign of fluid
 * retention the patient should act on (McDonagh TA, et al. "2021 ESC Guidelines for the diagnosis
 * and treatment of acute and chronic heart failure." Eur Heart J 2021;42:3599–3726, patient
 * self-care: "sudden unexpected weight gain of &gt;2 kg in 3 days").
 *
 * <p>Exactly what Vigil computes: a <b>daily weight</b> is the first weight of the local day (the
 * morning weight, as patients are told to weigh themselves on rising). On a day D with a daily
 * weight, the <b>gain</b> is that weight minus the lowest daily weight of the {@code days} days
 * before it (D−1 … D−3 for 3 days; days without a weight are skipped). The rule fires when the gain
 * is <b>more than</b> {@code kg} — a gain of exactly 2.0 kg does not. Without any daily weight in
 * the window before D there is nothing to compare and the rule says nothing.
 *
 * @param kg the gain that is too much (strictly more than this)
 * @param days the window before the day
 */
public record WeightGain(double kg, int days) {

  public static final WeightGain DEFAULT = new WeightGain(2.0, 3);

  public WeightGain {
    if (!(kg > 0) || kg > 20) {
      throw new IllegalArgumentException("the weight gain threshold is 0–20 kg, was " + kg);
    }
    if (days < 1 || days > 14) {
      throw new IllegalArgumentException("the weight window is 1–14 days, was " + days);
    }
  }

  /**
   * What the rule says on the latest day with a weight up to {@code at}.
   *
   * @param day the day judged
   * @param dailyWeight that day's weight
   * @param baseline the lowest daily weight of the window before it
   * @param baselineDay the day of that lowest weight
   * @param gain dailyWeight − baseline, kg
   * @param exceeded whether the gain is more than the threshold
   */
  public record Assessment(
      LocalDate day,
      double dailyWeight,
      double baseline,
      LocalDate baselineDay,
      double gain,
      boolean exceeded) {}

  /** The daily weights (first of each local day) of the samples. */
  public static TreeMap<LocalDate, Double> dailyWeights(List<WeightSample> samples, ZoneId zone) {
    TreeMap<LocalDate, WeightSample> first = new TreeMap<>();
    for (WeightSample s : samples) {
      LocalDate day = s.at().atZone(zone).toLocalDate();
      WeightSample kept = first.get(day);
      if (kept == null || s.at().isBefore(kept.at())) {
        first.put(day, s);
      }
    }
    TreeMap<LocalDate, Double> daily = new TreeMap<>();
    first.forEach((day, s) -> daily.put(day, s.kg()));
    return daily;
  }

  /** The assessment of the latest day with a weight at or before {@code at}, if it has a window. */
  public Optional<Assessment> assess(List<WeightSample> samples, Instant at, ZoneId zone) {
    List<WeightSample> upTo = samples.stream().filter(s -> !s.at().isAfter(at)).toList();
    TreeMap<LocalDate, Double> daily = dailyWeights(upTo, zone);
    if (daily.isEmpty()) {
      return Optional.empty();
    }
    LocalDate day = daily.lastKey();
    double weight = daily.get(day);
    LocalDate lowestDay = null;
    double lowest = Double.POSITIVE_INFINITY;
    for (var entry : daily.subMap(day.minusDays(days), true, day, false).entrySet()) {
      if (entry.getValue() < lowest) {
        lowest = entry.getValue();
        lowestDay = entry.getKey();
      }
    }
    if (lowestDay == null) {
      return Optional.empty();
    }
    // Rounded to grams so that 2.0 kg made of binary fractions (80.7 − 78.7) is exactly 2.0.
    double gain = Math.round((weight - lowest) * 1000.0) / 1000.0;
    return Optional.of(new Assessment(day, weight, lowest, lowestDay, gain, gain > kg));
  }
}
