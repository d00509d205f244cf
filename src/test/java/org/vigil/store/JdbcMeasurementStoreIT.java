package org.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.vigil.measurement.Measurement;
import org.vigil.testsupport.TestDatabase;

/** The measurement store's contract, on every database Vigil supports. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class JdbcMeasurementStoreIT {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  @Parameter TestDatabase database;

  private TestDatabase.Instance db;
  private MeasurementStore store;
  private long nextId = 1;

  @BeforeEach
  void createDatabase() {
    db = database.create();
    store =
        new JdbcMeasurementStore(
            new JdbcTemplate(db.dataSource()),
            new TransactionTemplate(new DataSourceTransactionManager(db.dataSource())));
  }

  @AfterEach
  void dropDatabase() {
    db.close();
  }

  private Measurement reading(String patient, String code, Instant at, double value) {
    return new Measurement(
        nextId++, patient, "monitor-1", code, 0, value, "/min", at, at.plusMillis(250));
  }

  @Test
  void storesAndReadsBackEveryField() {
    Measurement m =
        new Measurement(
            42,
            "p1",
            "monitor-1",
            "8867-4",
            147842,
            72.5,
            "/min",
            T0.plusMillis(123),
            T0.plusSeconds(1));
    store.append(List.of(m));

    assertThat(store.find(42)).contains(m);
    assertThat(store.find(43)).isEmpty();
    assertThat(store.highestId()).isEqualTo(42);
  }

  @Test
  void keepsAMissingMdcCodeMissing() {
    Measurement m = reading("p1", "8867-4", T0, 70);
    store.append(List.of(m));

    assertThat(store.find(m.id()).orElseThrow().hasMdcCode()).isFalse();
  }

  @Test
  void storesARedeliveredReadingOnce() {
    store.append(List.of(reading("p1", "8867-4", T0, 70)));
    store.append(List.of(reading("p1", "8867-4", T0, 70), reading("p1", "8867-4", T0, 71)));

    List<Measurement> stored = store.search(MeasurementQuery.forPatient("p1"));
    assertThat(stored).extracting(Measurement::value).containsExactlyInAnyOrder(70.0, 71.0);
  }

  @Test
  void keepsTwoSourcesOfOneQuantityApart() {
    Measurement ecg =
        new Measurement(nextId++, "p1", "monitor-1", "8867-4", 147842, 60, "/min", T0, T0);
    Measurement pulse =
        new Measurement(nextId++, "p1", "monitor-1", "8867-4", 149522, 60, "/min", T0, T0);
    store.append(List.of(ecg, pulse));

    assertThat(store.search(MeasurementQuery.forPatient("p1")))
        .extracting(Measurement::mdcCode)
        .containsExactlyInAnyOrder(147842, 149522);
  }

  @Test
  void storesNothingOfABatchThatFails() {
    Measurement good = reading("p1", "8867-4", T0, 70);
    Measurement tooLong = reading("p1", "x".repeat(100), T0, 70);

    assertThatThrownBy(() -> store.append(List.of(good, tooLong)))
        .isInstanceOf(RuntimeException.class);

    assertThat(store.count(MeasurementQuery.forPatient("p1"))).isZero();
  }

  @Test
  void searchesOnePatientsSeriesByCodeAndTimeRange() {
    List<Measurement> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(reading("p1", "8867-4", T0.plusSeconds(i), 60 + i));
      batch.add(reading("p1", "59408-5", T0.plusSeconds(i), 95));
      batch.add(reading("p2", "8867-4", T0.plusSeconds(i), 80));
    }
    store.append(batch);

    MeasurementQuery heartRate = MeasurementQuery.forPatient("p1").withCodes(Set.of("8867-4"));
    assertThat(store.count(heartRate)).isEqualTo(10);
    assertThat(store.search(heartRate)).extracting(Measurement::value).first().isEqualTo(69.0);
    assertThat(store.search(heartRate.ordered(false)))
        .extracting(Measurement::value)
        .first()
        .isEqualTo(60.0);

    MeasurementQuery range =
        heartRate.between(Optional.of(T0.plusSeconds(2)), Optional.of(T0.plusSeconds(4)));
    assertThat(store.search(range.ordered(false)))
        .extracting(Measurement::value)
        .containsExactly(62.0, 63.0, 64.0);

    assertThat(store.count(MeasurementQuery.forPatient("p1"))).isEqualTo(20);
    assertThat(
            store.count(MeasurementQuery.forPatient("p1").withCodes(Set.of("8867-4", "59408-5"))))
        .isEqualTo(20);
  }

  @Test
  void pagesThroughASeriesWithoutGapsOrRepeats() {
    List<Measurement> batch = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      batch.add(reading("p1", "8867-4", T0.plusSeconds(i), i));
    }
    store.append(batch);

    List<Double> seen = new ArrayList<>();
    MeasurementQuery query = MeasurementQuery.forPatient("p1").ordered(false);
    List<Measurement> page = store.search(query.firstPage(10));
    while (!page.isEmpty()) {
      page.forEach(m -> seen.add(m.value()));
      Measurement last = page.getLast();
      if (seen.size() == 10) {
        // A reading stored mid-way, earlier than any page yet to come, must not shift them.
        store.append(List.of(reading("p1", "8867-4", T0.minusSeconds(60), -1)));
      }
      page =
          store.search(
              query.pageAfter(new MeasurementQuery.Cursor(last.effectiveAt(), last.id()), 10));
    }
    assertThat(seen).hasSize(25).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void pagesMergeAPatientsSeriesInTimeOrder() {
    List<Measurement> batch = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      // two monitors in turn, and a third code that the query leaves out
      String device = i % 2 == 0 ? "monitor-1" : "monitor-2";
      batch.add(
          new Measurement(nextId++, "p1", device, "8867-4", 0, i, "/min", T0.plusSeconds(i), T0));
      batch.add(reading("p1", "9279-1", T0.plusSeconds(i), 100 + i));
    }
    store.append(batch);

    MeasurementQuery query =
        MeasurementQuery.forPatient("p1").withCodes(Set.of("8867-4")).ordered(true);
    List<Double> seen = new ArrayList<>();
    List<Measurement> page = store.search(query.firstPage(7));
    while (!page.isEmpty()) {
      page.forEach(m -> seen.add(m.value()));
      Measurement last = page.getLast();
      page =
          store.search(
              query.pageAfter(new MeasurementQuery.Cursor(last.effectiveAt(), last.id()), 7));
    }
    List<Double> expected = new ArrayList<>();
    for (int i = 29; i >= 0; i--) {
      expected.add((double) i);
    }
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void latestGivesTheNewestReadingsOfEachCodeForEachPatientAcrossDevices() {
    List<Measurement> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(reading("p1", "8867-4", T0.plusSeconds(i), 60 + i));
      batch.add(reading("p1", "9279-1", T0.plusSeconds(i), 10 + i));
      batch.add(reading("p2", "8867-4", T0.plusSeconds(i), 80 + i));
    }
    // p1 moved to another monitor: its newest heart rate comes from a second series
    batch.add(
        new Measurement(
            nextId++, "p1", "monitor-2", "8867-4", 0, 99, "/min", T0.plusSeconds(30), T0));
    batch.add(reading("p3", "8867-4", T0, 50));
    store.append(batch);

    List<Measurement> latest = store.latest(Set.of("p1", "p2"), Set.of(), 2);

    assertThat(latest)
        .extracting(m -> m.patientId() + " " + m.code() + " " + m.value())
        .containsExactlyInAnyOrder(
            "p1 8867-4 99.0",
            "p1 8867-4 69.0",
            "p1 9279-1 19.0",
            "p1 9279-1 18.0",
            "p2 8867-4 89.0",
            "p2 8867-4 88.0");
    assertThat(store.latest(Set.of("p1"), Set.of("9279-1"), 1))
        .extracting(Measurement::value)
        .containsExactly(19.0);
    assertThat(store.latest(Set.of("nobody"), Set.of(), 1)).isEmpty();
  }

  @Test
  void statisticsFollowTheirDefinitionsOverThePeriodAskedAbout() {
    double[] values = {72, 60, 90, 75, 61, 200};
    List<Measurement> batch = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      batch.add(reading("p1", "8867-4", T0.plusSeconds(60L * i), values[i]));
    }
    batch.add(reading("p2", "8867-4", T0, 1));
    store.append(batch);

    // The first five minutes hold 72, 60, 90, 75, 61: the 200 at minute 5 lies outside.
    List<Statistics> stats =
        store.statistics(
            "p1", Set.of("8867-4"), Optional.of(T0), Optional.of(T0.plusSeconds(4 * 60)));

    assertThat(stats).hasSize(1);
    Statistics s = stats.getFirst();
    assertThat(s.count()).isEqualTo(5);
    assertThat(s.minimum()).isEqualTo(60);
    assertThat(s.maximum()).isEqualTo(90);
    assertThat(s.average()).isCloseTo(71.6, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(s.median()).isEqualTo(72);
    assertThat(s.first()).isEqualTo(T0);
    assertThat(s.last()).isEqualTo(T0.plusSeconds(240));
    assertThat(s.unit()).isEqualTo("/min");

    // An even count's median is the mean of the middle two: 60, 72, 75, 90 -> 73.5.
    Statistics even =
        store
            .statistics(
                "p1", Set.of("8867-4"), Optional.of(T0), Optional.of(T0.plusSeconds(3 * 60)))
            .getFirst();
    assertThat(even.median()).isEqualTo(73.5);
    assertThat(store.statistics("p1", Set.of("9279-1"), Optional.empty(), Optional.empty()))
        .isEmpty();
  }

  @Test
  void writesLargeBatchesInOneGo() {
    List<Measurement> batch = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      batch.add(reading("p" + (i % 50), "8867-4", T0.plusMillis(i), 70));
    }
    store.append(batch);

    assertThat(store.count(MeasurementQuery.forPatient("p7"))).isEqualTo(200);
    assertThat(store.highestId()).isEqualTo(nextId - 1);
  }
}
