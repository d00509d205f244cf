package org.vigil.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ScenarioReaderTest {

  private final ScenarioReader reader = new ScenarioReader();

  private static final String MINIMAL =
      """
      {"name": "t", "duration": "PT2H",
       "patients": [{"id": "p1", "devices": [{"kind": "bedside-monitor"}]}],
       "episodes": [{"type": "sepsis", "patient": "p1", "onset": "PT30M", "duration": "PT1H"}]}
      """;

  @Test
  void theShippedScenariosLoad() {
    Scenario ward = reader.read("small-ward");
    assertThat(ward.duration()).isEqualTo(Duration.ofHours(24));
    assertThat(ward.timeZone()).isEqualTo(ZoneId.of("Europe/London"));
    assertThat(ward.patients()).hasSize(4);
    assertThat(ward.episodes())
        .extracting(e -> e.type(), e -> e.patient(), e -> e.onset())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                EpisodeKind.SEPSIS, "patient-001", Duration.ofHours(6)),
            org.assertj.core.groups.Tuple.tuple(
                EpisodeKind.RESPIRATORY_FAILURE, "patient-003", Duration.ofHours(17)));
    assertThat(ward.patients().get(3).devices())
        .extracting(Scenario.Device::transport)
        .containsOnly(Transport.MQTT);
    assertThat(ward.patients().get(1).devices().get(0).faults().outages()).hasSize(1);

    Scenario home = reader.read("home-monitoring");
    assertThat(home.episodes())
        .extracting(Scenario.Episode::type)
        .containsExactly(
            EpisodeKind.HYPOGLYCAEMIA, EpisodeKind.HYPOTENSION, EpisodeKind.BRADYCARDIA);
    assertThat(home.interval(Vital.HEART_RATE)).isEqualTo(Duration.ofMinutes(1));
    assertThat(home.interval(Vital.GLUCOSE)).isEqualTo(Duration.ofMinutes(5));

    Scenario care = reader.read("home-care");
    assertThat(care.duration()).isEqualTo(Duration.ofDays(14));
    assertThat(care.patients().getFirst().devices())
        .extracting(Scenario.Device::kind)
        .containsExactly(
            DeviceKind.GLUCOSE_MONITOR,
            DeviceKind.BLOOD_PRESSURE_CUFF,
            DeviceKind.WEIGHT_SCALE,
            DeviceKind.PILL_DISPENSER);
    assertThat(care.episodes())
        .extracting(Scenario.Episode::type)
        .containsExactly(
            EpisodeKind.HYPOGLYCAEMIA,
            EpisodeKind.HYPERTENSIVE_CRISIS,
            EpisodeKind.FLUID_RETENTION);
  }

  @Test
  void absentFieldsTakeTheirDefaults() {
    Scenario s = reader.parse(MINIMAL, "t.json");
    Scenario.Episode sepsis = s.episodes().getFirst();
    assertThat(sepsis.severity()).isEqualTo(1.0);
    assertThat(sepsis.ramp()).isEqualTo(Duration.ofMinutes(20)); // a third of the hour
    assertThat(s.patients().getFirst().devices().getFirst().transport()).isEqualTo(Transport.HTTP);
    assertThat(s.interval(Vital.SYSTOLIC)).isEqualTo(Duration.ofMinutes(15));
    assertThat(sepsis.severityAt(Duration.ofMinutes(29))).isZero();
    assertThat(sepsis.severityAt(Duration.ofMinutes(40))).isEqualTo(0.5);
    assertThat(sepsis.severityAt(Duration.ofMinutes(60))).isEqualTo(1.0);
    assertThat(sepsis.severityAt(Duration.ofMinutes(90))).isZero();
  }

  @Test
  void anUnknownFieldIsATypoNamedWithItsPlace() {
    assertThatThrownBy(
            () -> reader.parse(MINIMAL.replace("\"onset\"", "\"colour\": 1, \"onset\""), "t.json"))
        .isInstanceOf(ScenarioReader.ScenarioException.class)
        .hasMessageStartingWith("t.json: episodes[0]")
        .hasMessageContaining("colour");
    assertThatThrownBy(() -> reader.parse(MINIMAL.replace("\"onset\"", "\"onsett\""), "t.json"))
        .hasMessage(
            "t.json: episodes[0].onsett: unknown field; known: id, type, patient, onset,"
                + " duration, ramp, severity");
  }

  @Test
  void anUnknownDeviceKindSaysWhichOnesExist() {
    assertThatThrownBy(() -> reader.parse(MINIMAL.replace("bedside-monitor", "toaster"), "t.json"))
        .hasMessageStartingWith("t.json: patients[0].devices[0].kind: ")
        .hasMessageContaining("toaster")
        .hasMessageContaining("pulse-oximeter");
  }

  @Test
  void crossReferencesAndTimesAreChecked() {
    assertThatThrownBy(() ->
            reader.parse(MINIMAL.replace("\"patient\": \"p1\"", "\"patient\": \"p9\""), "t.json"))
        .hasMessageContaining("episodes[0].patient: no patient p9 in the scenario");
    assertThatThrownBy(() -> reader.parse(MINIMAL.replace("\"PT30M\"", "\"PT90M\""), "t.json"))
        .hasMessageContaining("ends at PT2H30M, after the scenario's PT2H");
    assertThatThrownBy(() -> reader.parse(MINIMAL.replace("\"PT30M\"", "\"half past\""), "t.json"))
        .hasMessageStartingWith("t.json: episodes[0].onset: ");
    assertThatThrownBy(() ->
            reader.parse(
                MINIMAL.replace(
                    "\"id\": \"p1\",", "\"id\": \"p1\", \"resting\": {\"heartRate\": 900},"),
                "t.json"))
        .hasMessageContaining("resting.heartRate: must be between 25.0 and 220.0");
    assertThatThrownBy(() ->
            reader.parse(
                MINIMAL.replace(
                    "\"name\": \"t\",", "\"name\": \"t\", \"faults\": {\"garbage\": 2},"),
                "t.json"))
        .hasMessageContaining("faults.garbage: must be a probability");
  }

  @Test
  void aNameThatIsNeitherFileNorBuiltInSaysWhatIs() {
    assertThatThrownBy(() -> reader.read("no-such-ward"))
        .hasMessageContaining(
            "no such file, and not a built-in scenario (small-ward, home-monitoring,"
                + " home-medication, home-care)");
  }

  @Test
  void aDispenserSaysWhatItHoldsAndOnlyADispenserDoes() {
    Scenario home = reader.read("home-medication");
    Scenario.Dispensing pillpal = home.patients().get(1).devices().get(2).dispensing();
    assertThat(pillpal.times()).containsExactly(java.time.LocalTime.of(9, 0));
    assertThat(pillpal.compartment()).isEqualTo(3);
    assertThat(pillpal.missed()).isEqualTo(0.3);
    assertThatThrownBy(() ->
            reader.parse(
                "{\"name\":\"d\",\"duration\":\"PT1H\",\"patients\":[{\"id\":\"p\","
                    + "\"devices\":[{\"kind\":\"pill-dispenser\"}]}]}",
                "d.json"))
        .hasMessageContaining("a pill-dispenser needs \"dispensing\"");
    assertThatThrownBy(() ->
            reader.parse(
                "{\"name\":\"d\",\"duration\":\"PT1H\",\"patients\":[{\"id\":\"p\","
                    + "\"devices\":[{\"kind\":\"pill-dispenser\",\"dispensing\":"
                    + "{\"times\":[\"08:00\"],\"late\":0.7,\"missed\":0.7}}]}]}",
                "d.json"))
        .hasMessageContaining("late and missed are probabilities");
  }
}
