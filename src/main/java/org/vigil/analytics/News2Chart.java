package org.vigil.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.vigil.measurement.Consciousness;

/**
 * The NEWS2 scoring chart (Royal College of Physicians 2017, Chart 1), one method per row, exactly
 * as ../shared/data/news2/NEWS2_chart.md transcribes it. Respiration rate, pulse and systolic
 * pressure are scored as whole numbers and temperature to one decimal, as the chart is written; a
 * device's 20.6 breaths/min is rounded (half up) to 21 first.
 */
public final class News2Chart {

  private News2Chart() {}

  public static int respirationRate(double perMinute) {
    long rr = whole(perMinute);
    if (rr <= 8) {
      return 3;
    }
    if (rr <= 11) {
      return 1;
    }
    if (rr <= 20) {
      return 0;
    }
    if (rr <= 24) {
      return 2;
    }
    return 3;
  }

  /** Scale 1, for everyone without a prescribed 88–92 % target. */
  public static int oxygenSaturationScale1(double percent) {
    long spo2 = whole(percent);
    if (spo2 <= 91) {
      return 3;
    }
    if (spo2 <= 93) {
      return 2;
    }
    if (spo2 <= 95) {
      return 1;
    }
    return 0;
  }

  /**
   * Scale 2, for a prescribed target of 88–92 %: saturations of 93 % and above score only when the
   * patient is on oxygen (on air they are 0).
   */
  public static int oxygenSaturationScale2(double percent, boolean onOxygen) {
    long spo2 = whole(percent);
    if (spo2 <= 83) {
      return 3;
    }
    if (spo2 <= 85) {
      return 2;
    }
    if (spo2 <= 87) {
      return 1;
    }
    if (spo2 <= 92 || !onOxygen) {
      return 0;
    }
    if (spo2 <= 94) {
      return 1;
    }
    if (spo2 <= 96) {
      return 2;
    }
    return 3;
  }

  public static int oxygenSaturation(double percent, SpO2Scale scale, boolean onOxygen) {
    return scale == SpO2Scale.SCALE_2
        ? oxygenSaturationScale2(percent, onOxygen)
        : oxygenSaturationScale1(percent);
  }

  public static int airOrOxygen(boolean onOxygen) {
    return onOxygen ? 2 : 0;
  }

  public static int systolicBloodPressure(double mmHg) {
    long sbp = whole(mmHg);
    if (sbp <= 90) {
      return 3;
    }
    if (sbp <= 100) {
      return 2;
    }
    if (sbp <= 110) {
      return 1;
    }
    if (sbp <= 219) {
      return 0;
    }
    return 3;
  }

  public static int pulse(double perMinute) {
    long pulse = whole(perMinute);
    if (pulse <= 40) {
      return 3;
    }
    if (pulse <= 50) {
      return 1;
    }
    if (pulse <= 90) {
      return 0;
    }
    if (pulse <= 110) {
      return 1;
    }
    if (pulse <= 130) {
      return 2;
    }
    return 3;
  }

  /** Alert scores 0; new confusion, voice, pain and unresponsive (CVPU) score 3. */
  public static int consciousness(Consciousness level) {
    return level == Consciousness.ALERT ? 0 : 3;
  }

  public static int temperature(double celsius) {
    // Tenths, compared as integers: 36.05 is rounded to 36.1 before it meets the 36.1 edge.
    long tenths =
        BigDecimal.valueOf(celsius).setScale(1, RoundingMode.HALF_UP).movePointRight(1).longValue();
    if (tenths <= 350) {
      return 3;
    }
    if (tenths <= 360) {
      return 1;
    }
    if (tenths <= 380) {
      return 0;
    }
    if (tenths <= 390) {
      return 1;
    }
    return 2;
  }

  private static long whole(double value) {
    return BigDecimal.valueOf(value).setScale(0, RoundingMode.HALF_UP).longValue();
  }
}
