package org.vigil.simulate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;

/**
 * The clinical episodes a scenario can script, each as what it does to the vital signs at full
 * severity. All of an episode's changes follow one severity curve, so they move together as they do
 * at the bedside: in sepsis the heart and breathing speed up while the pressure falls and the fever
 * rises. Sizes are typical of the deteriorations early-warning scores are built to catch, not a
 * model of any one patient.
 */
public enum EpisodeKind {
  SEPSIS(
      "sepsis",
      List.of(
          Effect.shift(Vital.HEART_RATE, 35),
          Effect.shift(Vital.RESPIRATORY_RATE, 10),
          Effect.shift(Vital.SYSTOLIC, -35),
          Effect.shift(Vital.DIASTOLIC, -18),
          Effect.shift(Vital.TEMPERATURE, 2.0),
          Effect.shift(Vital.OXYGEN_SATURATION, -3))),
  RESPIRATORY_FAILURE(
      "respiratory-failure",
      List.of(
          Effect.shift(Vital.OXYGEN_SATURATION, -14),
          Effect.shift(Vital.RESPIRATORY_RATE, 14),
          Effect.shift(Vital.HEART_RATE, 18))),
  HYPOTENSION(
      "hypotension",
      List.of(
          Effect.shift(Vital.SYSTOLIC, -45),
          Effect.shift(Vital.DIASTOLIC, -25),
          Effect.shift(Vital.HEART_RATE, 15))),
  BRADYCARDIA("bradycardia", List.of(Effect.toward(Vital.HEART_RATE, 38))),
  TACHYCARDIA("tachycardia", List.of(Effect.toward(Vital.HEART_RATE, 150))),
  // Low glucose sets off the sympathetic response: a faster heart.
  HYPOGLYCAEMIA(
      "hypoglycaemia",
      List.of(Effect.toward(Vital.GLUCOSE, 45), Effect.shift(Vital.HEART_RATE, 12))),
  // A home cuff reading in the hypertensive-crisis range (ESH/ESC: 180/120 or more).
  HYPERTENSIVE_CRISIS(
      "hypertensive-crisis",
      List.of(Effect.toward(Vital.SYSTOLIC, 196), Effect.toward(Vital.DIASTOLIC, 124))),
  // Heart failure decompensating: fluid building up shows first on the morning scale, days before
  // the breathlessness (ESC 2021 asks patients to call at 2 kg in 3 days).
  FLUID_RETENTION("fluid-retention", List.of(Effect.shift(Vital.WEIGHT, 3.5)));

  /**
   * What an episode does to one vital at full severity: shifts it by {@code amount}, or (when
   * {@code absolute}) moves it to {@code amount} whatever the patient's resting value.
   */
  record Effect(Vital vital, double amount, boolean absolute) {
    static Effect shift(Vital vital, double delta) {
      return new Effect(vital, delta, false);
    }

    static Effect toward(Vital vital, double target) {
      return new Effect(vital, target, true);
    }

    /**
     * How far from {@code level} (where the vital would be without it) it moves at this severity.
     */
    double offset(double level, double severity) {
      return severity * (absolute ? amount - level : amount);
    }
  }

  private final String type;
  private final List<Effect> effects;

  EpisodeKind(String type, List<Effect> effects) {
    this.type = type;
    this.effects = effects;
  }

  @JsonValue
  public String type() {
    return type;
  }

  List<Effect> effects() {
    return effects;
  }

  @JsonCreator
  public static EpisodeKind ofType(String type) {
    for (EpisodeKind kind : values()) {
      if (kind.type.equals(type)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "no episode of type "
            + type
            + "; known: "
            + String.join(", ", Arrays.stream(values()).map(EpisodeKind::type).toList()));
  }
}
