package org.vigil.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.measurement.Measurement;

class InProcessIngestLogTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private long nextId = 1;
  private InProcessIngestLog log;

  private InProcessIngestLog log(int capacity) {
    log =
        new InProcessIngestLog(
            new IngestLogProperties(8, 2, capacity, 100, "store"), new SimpleMeterRegistry());
    return log;
  }

  @AfterEach
  void close() {
    if (log != null) {
      log.close();
    }
  }

  private List<Measurement> readings(String patient, int count) {
    List<Measurement> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long id = nextId++;
      list.add(new Measurement(id, patient, "d1", "8867-4", 0, id, "/min", T0.plusSeconds(id), T0));
    }
    return list;
  }

  @Test
  void completesAnAppendOnlyAfterTheStoreWriterProcessedIt() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Measurement> stored = Collections.synchronizedList(new ArrayList<>());
    log(100)
        .subscribe(
            "store",
            batch -> {
              entered.countDown();
              release.await();
              stored.addAll(batch);
            });

    CompletableFuture<Void> append = log.append(readings("p1", 3));
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(append).isNotDone();

    release.countDown();
    append.get(5, TimeUnit.SECONDS);
    assertThat(stored).hasSize(3);
  }

  @Test
  void failsTheAppendWhenStoringFails() {
    log(100)
        .subscribe(
            "store",
            batch -> {
              throw new IllegalStateException("disk full");
            });

    assertThatThrownBy(() -> log.append(readings("p1", 1)).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IngestLogUnavailableException.class);
    assertThat(log.lag()).containsEntry("store", 0L);
  }

  @Test
  void keepsEachPatientsReadingsInOrder() throws Exception {
    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    log(10_000).subscribe("store", batch -> batch.forEach(m -> seen.add(m.id())));

    List<CompletableFuture<Void>> appends = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      appends.add(log.append(readings("p1", 2)));
      appends.add(log.append(readings("p2", 1)));
    }
    CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

    assertThat(seen).hasSize(1500);
    // ids were assigned in append order, so each patient's ids must arrive ascending
    assertThat(seen.stream().filter(id -> isP1(id)).toList()).isSorted();
  }

  private static boolean isP1(long id) {
    // readings("p1", 2) then readings("p2", 1): ids 3k+1 and 3k+2 belong to p1
    return id % 3 != 0;
  }

  @Test
  void followersSeeOnlyWhatIsDurable() throws Exception {
    AtomicBoolean storedFirst = new AtomicBoolean(true);
    List<Measurement> stored = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch followed = new CountDownLatch(1);
    log(100)
        .subscribe(
            "store",
            batch -> {
              if (batch.getFirst().patientId().equals("fails")) {
                throw new IllegalStateException("rejected");
              }
              stored.addAll(batch);
            });
    log.subscribe(
        "analytics",
        batch -> {
          for (Measurement m : batch) {
            if (!stored.contains(m)) {
              storedFirst.set(false);
            }
          }
          followed.countDown();
        });

    assertThatThrownBy(() -> log.append(readings("fails", 1)).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
    log.append(readings("p1", 2)).get(5, TimeUnit.SECONDS);

    assertThat(followed.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(storedFirst).isTrue();
  }

  @Test
  void refusesAppendsWhenFullInsteadOfGrowingWithoutBound() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    log(2).subscribe("store", batch -> release.await());

    List<CompletableFuture<Void>> appends = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      appends.add(log.append(readings("p1", 1)));
    }
    release.countDown();

    assertThat(appends)
        .anySatisfy(f ->
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IngestLogUnavailableException.class)
                .hasMessageContaining("full"));
  }

  @Test
  void storesWhatWasAppendedBeforeClosing() throws Exception {
    List<Measurement> stored = Collections.synchronizedList(new ArrayList<>());
    log(1000).subscribe("store", stored::addAll);
    List<CompletableFuture<Void>> appends = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      appends.add(log.append(readings("p" + i, 1)));
    }

    log.close();

    assertThat(appends).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(stored).hasSize(100);
    assertThatThrownBy(() -> log.append(readings("p1", 1)).get())
        .hasCauseInstanceOf(IngestLogUnavailableException.class);
  }

  @Test
  void refusesAppendsBeforeTheStoreWriterSubscribes() {
    assertThatThrownBy(() -> log(10).append(readings("p1", 1)).get())
        .hasCauseInstanceOf(IngestLogUnavailableException.class);
  }

  @Test
  void oneAppendCarriesOnePatient() {
    List<Measurement> mixed = new ArrayList<>(readings("p1", 1));
    mixed.addAll(readings("p2", 1));
    log(10).subscribe("store", batch -> {});

    assertThatThrownBy(() -> log.append(mixed)).isInstanceOf(IllegalArgumentException.class);
  }
}
