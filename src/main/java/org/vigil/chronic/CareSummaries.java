package org.vigil.chronic;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The plain-language sentences the patient's portal shows about their care plan, and the
 * clinician's report repeats: each figure against the patient's own target, in words. When there
 * are too few readings to say, the sentence says that — it never calls a thin week "fine".
 */
public final class CareSummaries {

  /**
   * One sentence about one part of the plan.
   *
   * @param topic {@code blood-pressure}, {@code glucose}, {@code weight} or {@code oxygen}
   * @param status {@code at-target}, {@code above-target}, {@code below-target}, {@code alert},
   *     {@code insufficient} (too few readings to judge) or {@code no-data}
   * @param text what the patient reads
   */
  public record Summary(String topic, String status, String text) {}

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM", Locale.UK);

  private CareSummaries() {}

  public static List<Summary> of(CareMetrics.Snapshot s) {
    CarePlan plan = s.plan();
    CareTargets t = plan.targets();
    List<Summary> out = new ArrayList<>();
    if (plan.in(CareProgram.HYPERTENSION) || s.bloodPressure().readings() > 0) {
      out.add(bloodPressure(s.bloodPressure(), t));
    }
    if (plan.in(CareProgram.DIABETES) || s.glucose().readings() > 0) {
      out.add(glucose(s, t));
    }
    if (plan.in(CareProgram.HEART_FAILURE) || s.weight().latest().isPresent()) {
      out.add(weight(s.weight(), t));
    }
    if (plan.in(CareProgram.COPD) || s.oxygen().readings() > 0) {
      out.add(oxygen(s.oxygen(), t));
    }
    return out;
  }

  static Summary bloodPressure(HomeBloodPressure bp, CareTargets t) {
    String target = whole(t.bpSystolicBelow()) + "/" + whole(t.bpDiastolicBelow());
    if (bp.readings() == 0) {
      return new Summary(
          "blood-pressure",
          "no-data",
          "There are no blood pressure readings from this week yet. Measure twice in the morning"
              + " and twice in the evening.");
    }
    String average = whole(bp.systolic()) + "/" + whole(bp.diastolic());
    if (!bp.sufficient()) {
      return new Summary(
          "blood-pressure",
          "insufficient",
          "There are not yet enough blood pressure readings this week to work out your average ("
              + bp.readings()
              + " readings on "
              + bp.days()
              + " days after the first day; at least 12 readings on 3 days are needed). Measure"
              + " twice in the morning and twice in the evening.");
    }
    boolean met = bp.atTarget(t.bpSystolicBelow(), t.bpDiastolicBelow()).orElse(false);
    String mornings =
        bp.morningReadings() == 0
            ? ""
            : " (mornings "
                + whole(bp.morningSystolic())
                + "/"
                + whole(bp.morningDiastolic())
                + ")";
    return new Summary(
        "blood-pressure",
        met ? "at-target" : "above-target",
        "Your average blood pressure at home this week was "
            + average
            + mornings
            + (met ? ", below your target of " : ", above your target of ")
            + target
            + ".");
  }

  static Summary glucose(CareMetrics.Snapshot s, CareTargets t) {
    TimeInRange g = s.glucose();
    String range = whole(t.glucoseLow()) + "–" + whole(t.glucoseHigh()) + " mg/dL";
    if (g.readings() == 0) {
      return new Summary(
          "glucose", "no-data", "There are no glucose readings from the last 14 days.");
    }
    if (!g.sufficient()) {
      return new Summary(
          "glucose",
          "insufficient",
          "Your sensor gave "
              + whole(g.capturePercent())
              + "% of the readings expected over the last 14 days: too few to say how your glucose"
              + " has been (at least 70% are needed).");
    }
    double percent = s.inPersonalRange();
    long minutes = Math.round(percent / 100 * 24 * 60);
    boolean met = percent > t.tirGoalPercent();
    // Lows first: the consensus puts reducing time below range before raising time in range.
    String low =
        g.tbr54() >= 1
            ? " Your glucose was below 54 mg/dL "
                + one(g.tbr54())
                + "% of the time, more than the 1% to aim for: talk to your care team."
            : g.tbr70() >= 4
                ? " Your glucose was below 70 mg/dL "
                    + one(g.tbr70())
                    + "% of the time; aim for less than 4%."
                : "";
    return new Summary(
        "glucose",
        g.tbr54() >= 1 || g.tbr70() >= 4 ? "alert" : met ? "at-target" : "below-target",
        "In the last 14 days your glucose was in your target range ("
            + range
            + ") "
            + one(percent)
            + "% of the time, about "
            + minutes / 60
            + " h "
            + minutes % 60
            + " min a day. Your goal is more than "
            + whole(t.tirGoalPercent())
            + "%."
            + low);
  }

  static Summary weight(CareMetrics.Weight w, CareTargets t) {
    if (w.latest().isEmpty()) {
      return new Summary(
          "weight",
          "no-data",
          "There is no weight from the last 30 days. Weigh yourself each morning after you wake.");
    }
    String today =
        "Your weight on "
            + DAY.format(w.latestDay().orElseThrow())
            + " was "
            + kg(w.latest().get());
    if (w.heartFailure().filter(WeightGain.Assessment::exceeded).isPresent()) {
      WeightGain.Assessment a = w.heartFailure().get();
      return new Summary(
          "weight",
          "alert",
          today
              + ", up "
              + kg(a.gain())
              + " since "
              + DAY.format(a.baselineDay())
              + ". A gain of more than "
              + kg(t.weightGain().kg())
              + " in "
              + t.weightGain().days()
              + " days can mean fluid is building up: please call your care team today.");
    }
    String change =
        w.weekAgo()
            .map(before -> {
              double d = w.latest().get() - before;
              return Math.abs(d) < 0.05
                  ? ", the same as a week before"
                  : ", " + kg(Math.abs(d)) + (d > 0 ? " more" : " less") + " than a week before";
            })
            .orElse("");
    String target = t.targetWeightKg().map(kg -> " Your target is " + kg(kg) + ".").orElse("");
    return new Summary("weight", "at-target", today + change + "." + target);
  }

  static Summary oxygen(CareMetrics.Oxygen o, CareTargets t) {
    String range = whole(t.spo2Low()) + "–" + whole(t.spo2High()) + "%";
    if (o.readings() == 0) {
      return new Summary(
          "oxygen", "no-data", "There are no oxygen level (SpO2) readings from the last 7 days.");
    }
    String trend =
        o.trends().isEmpty()
            ? ""
            : " Your readings have been changing in a way your care team watches (a trend, not"
                + " a diagnosis): they have been told.";
    return new Summary(
        "oxygen",
        !o.trends().isEmpty() ? "alert" : o.median() < t.spo2Low() ? "below-target" : "at-target",
        "Over the last 7 days your oxygen level (SpO2) was in your target range of "
            + range
            + " "
            + whole(o.inRangePercent())
            + "% of the time; the middle of your readings was "
            + whole(o.median())
            + "%."
            + trend);
  }

  static String whole(double value) {
    return String.valueOf(Math.round(value));
  }

  static String one(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  static String kg(double value) {
    return String.format(Locale.ROOT, "%.1f kg", value);
  }
}
