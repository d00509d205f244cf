package org.vigil.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.vigil.measurement.Consciousness;

/**
 * Both sides of every band edge of RCP 2017 Chart 1, as ../shared/data/news2/NEWS2_chart.md
 * transcribes it.
 */
class News2ChartTest {

  @ParameterizedTest(name = "RR {0} scores {1}")
  @CsvSource({"0,3", "8,3", "9,1", "11,1", "12,0", "20,0", "21,2", "24,2", "25,3", "60,3"})
  void respirationRate(double perMinute, int points) {
    assertThat(News2Chart.respirationRate(perMinute)).isEqualTo(points);
  }

  @ParameterizedTest(name = "SpO2 {0} on scale 1 scores {1}")
  @CsvSource({"50,3", "91,3", "92,2", "93,2", "94,1", "95,1", "96,0", "100,0"})
  void oxygenSaturationScale1(double percent, int points) {
    assertThat(News2Chart.oxygenSaturationScale1(percent)).isEqualTo(points);
  }

  @ParameterizedTest(name = "SpO2 {0} on scale 2, on oxygen {1}, scores {2}")
  @CsvSource({
    "70,false,3",
    "83,false,3",
    "84,false,2",
    "85,false,2",
    "86,false,1",
    "87,false,1",
    "88,false,0",
    "92,false,0",
    "93,false,0",
    "97,false,0",
    "100,false,0",
    "83,true,3",
    "84,true,2",
    "86,true,1",
    "88,true,0",
    "92,true,0",
    "93,true,1",
    "94,true,1",
    "95,true,2",
    "96,true,2",
    "97,true,3",
    "100,true,3"
  })
  void oxygenSaturationScale2(double percent, boolean onOxygen, int points) {
    assertThat(News2Chart.oxygenSaturationScale2(percent, onOxygen)).isEqualTo(points);
  }

  @ParameterizedTest(name = "on oxygen {0} scores {1}")
  @CsvSource({"false,0", "true,2"})
  void airOrOxygen(boolean onOxygen, int points) {
    assertThat(News2Chart.airOrOxygen(onOxygen)).isEqualTo(points);
  }

  @ParameterizedTest(name = "systolic {0} scores {1}")
  @CsvSource({
    "60,3", "90,3", "91,2", "100,2", "101,1", "110,1", "111,0", "219,0", "220,3", "260,3"
  })
  void systolicBloodPressure(double mmHg, int points) {
    assertThat(News2Chart.systolicBloodPressure(mmHg)).isEqualTo(points);
  }

  @ParameterizedTest(name = "pulse {0} scores {1}")
  @CsvSource({
    "30,3", "40,3", "41,1", "50,1", "51,0", "90,0", "91,1", "110,1", "111,2", "130,2", "131,3",
    "180,3"
  })
  void pulse(double perMinute, int points) {
    assertThat(News2Chart.pulse(perMinute)).isEqualTo(points);
  }

  @ParameterizedTest(name = "temperature {0} scores {1}")
  @CsvSource({
    "34.0,3", "35.0,3", "35.1,1", "36.0,1", "36.1,0", "38.0,0", "38.1,1", "39.0,1", "39.1,2",
    "41.0,2"
  })
  void temperature(double celsius, int points) {
    assertThat(News2Chart.temperature(celsius)).isEqualTo(points);
  }

  @ParameterizedTest(name = "{0} scores as {1}")
  @CsvSource({"36.04,1", "36.05,0", "38.04,0", "38.05,1", "35.04,3", "35.05,1"})
  void temperatureIsRoundedToOneDecimalBeforeScoring(double celsius, int points) {
    assertThat(News2Chart.temperature(celsius)).isEqualTo(points);
  }

  @ParameterizedTest(name = "{0} breaths/min rounds to a whole number first, scoring {1}")
  @CsvSource({"20.4,0", "20.5,2", "8.5,1", "8.4,3"})
  void wholeNumberParametersAreRoundedHalfUp(double perMinute, int points) {
    assertThat(News2Chart.respirationRate(perMinute)).isEqualTo(points);
  }

  @ParameterizedTest
  @EnumSource(Consciousness.class)
  void alertScoresNothingAndEveryOtherAcvpuLevelThree(Consciousness level) {
    assertThat(News2Chart.consciousness(level)).isEqualTo(level == Consciousness.ALERT ? 0 : 3);
  }

  @ParameterizedTest(name = "total {0}, single 3 {1}: {2}")
  @CsvSource({
    "0,false,LOW",
    "4,false,LOW",
    "3,true,LOW_MEDIUM",
    "4,true,LOW_MEDIUM",
    "5,false,MEDIUM",
    "6,true,MEDIUM",
    "7,false,HIGH",
    "7,true,HIGH",
    "20,true,HIGH"
  })
  void riskBandsFollowChartFourInOrder(int total, boolean singleThree, RiskBand band) {
    assertThat(RiskBand.of(total, singleThree)).isEqualTo(band);
  }
}
