package org.vigil.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.vigil.measurement.Measurement;
import org.vigil.node.NodeProperties;
import org.vigil.patient.PatientRepository;
import org.vigil.store.MeasurementQuery;
import org.vigil.store.MeasurementStore;
import tools.jackson.core.JsonGenerator;

/**
 * Runs FHIR Bulk Data exports, one at a time, in the background: each resource type to one NDJSON
 * file under {@code <data-dir>/exports/<export id>/}, streamed from the stores so that an export of
 * millions of Observations needs no more memory than one. Exports are kept in this node's memory
 * and files: a client polls the node that accepted its export.
 */
@Component
class BulkExports implements DisposableBean {

  /** What Vigil exports, in the order it writes them. */
  static final List<String> TYPES = List.of("Patient", "Device", "Observation");

  private static final Logger log = LoggerFactory.getLogger(BulkExports.class);
  private static final int CHECK_EVERY = 10_000;
  private static final int ENCODE_CHUNK = 5_000;

  private final Path root;
  private final MeasurementStore measurements;
  private final ObservationJson observations;
  private final PatientRepository patients;
  private final DeviceProvider devices;
  private final FhirContext fhir;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, BulkExport> exports = new ConcurrentHashMap<>();
  private final ExecutorService runner =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("bulk-export").factory());

  BulkExports(
      NodeProperties node,
      MeasurementStore measurements,
      ObservationJson observations,
      PatientRepository patients,
      DeviceProvider devices,
      FhirContext fhir) {
    this.root = node.dataDir().resolve("exports");
    this.measurements = measurements;
    this.observations = observations;
    this.patients = patients;
    this.devices = devices;
    this.fhir = fhir;
  }

  /**
   * Accepts an export of every patient's data, or of {@code patients}' only, and queues it; the
   * caller gets its id at once.
   */
  BulkExport start(
      String owner,
      Set<String> types,
      Optional<Instant> since,
      Optional<Set<String>> patients,
      String request) {
    String id = UUID.randomUUID().toString();
    BulkExport export =
        new BulkExport(
            id, owner, types, since, patients, request, clock.instant(), root.resolve(id));
    exports.put(id, export);
    runner.execute(() -> run(export));
    return export;
  }

  Optional<BulkExport> find(String id) {
    return Optional.ofNullable(exports.get(id));
  }

  /** Stops an export if it is still running and deletes its files. */
  void delete(BulkExport export) {
    export.cancel();
    exports.remove(export.id());
    deleteFiles(export.directory());
  }

  private void run(BulkExport export) {
    if (!export.start()) {
      return;
    }
    try {
      Files.createDirectories(export.directory());
      IParser parser = fhir.newJsonParser().setPrettyPrint(false);
      for (String type : TYPES) {
        if (!export.types().contains(type) || export.cancelled()) {
          continue;
        }
        Path file = export.directory().resolve(type + ".ndjson");
        long count;
        try (Writer out =
            new FlushesIgnoredWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
          count = write(type, export, new Ndjson(parser, out, export));
        }
        export.finished(new BulkExport.Output(type, file, count));
      }
      export.complete();
    } catch (CancelledException e) {
      deleteFiles(export.directory());
    } catch (IOException | RuntimeException e) {
      log.warn("Bulk export {} failed: {}", export.id(), e.toString());
      export.fail("the export could not be written; ask for a new one");
    }
  }

  private long write(String type, BulkExport export, Ndjson out) {
    Optional<Set<String>> only = export.patients();
    switch (type) {
      case "Patient" -> {
        if (only.isPresent()) {
          only.get().stream()
              .sorted()
              .map(patients::find)
              .flatMap(Optional::stream)
              .forEach(p -> out.write(PatientProvider.toFhir(p)));
        } else {
          int offset = 0;
          List<org.vigil.patient.Patient> page;
          while (!(page = patients.findAll(offset, 1_000)).isEmpty()) {
            page.forEach(p -> out.write(PatientProvider.toFhir(p)));
            offset += page.size();
          }
        }
      }
      case "Device" ->
          devices.search(null).stream()
              .filter(d -> only.isEmpty() || isOneOf(patientOf(d), only.get()))
              .forEach(out::write);
      case "Observation" ->
          writeObservations(
              only.isEmpty()
                  ? each -> measurements.forEach(export.since(), each)
                  : each -> readingsOf(only.get(), export.since(), each),
              out);
      default -> throw new IllegalArgumentException(type);
    }
    return out.count;
  }

  /** Whether an unassigned device (no patient: null) or an assigned one is of these patients. */
  private static boolean isOneOf(String patientId, Set<String> patientIds) {
    // an immutable set answers contains(null) with a NullPointerException
    return patientId != null && patientIds.contains(patientId);
  }

  /** The id of the patient a device is assigned to, or null. */
  private static String patientOf(org.hl7.fhir.r4.model.Device device) {
    return device.getPatient().getReferenceElement().getIdPart();
  }

  /**
   * The readings of some patients stored at or after {@code since}: each patient's in pages by
   * cursor, so that a ward's export reads its patients' readings and no one else's.
   */
  private void readingsOf(
      Set<String> patientIds, Optional<Instant> since, Consumer<Measurement> each) {
    for (String patientId : patientIds.stream().sorted().toList()) {
      MeasurementQuery query =
          MeasurementQuery.forPatient(patientId)
              .storedBetween(since, Optional.empty())
              .ordered(false);
      List<Measurement> page = measurements.search(query.firstPage(ENCODE_CHUNK));
      while (!page.isEmpty()) {
        page.forEach(each);
        if (page.size() < ENCODE_CHUNK) {
          break;
        }
        Measurement last = page.getLast();
        page =
            measurements.search(
                query.pageAfter(
                    new MeasurementQuery.Cursor(last.effectiveAt(), last.id()), ENCODE_CHUNK));
      }
    }
  }

  /**
   * Observations, encoded on every core by {@link ObservationJson} (HAPI's output, written without
   * HAPI's element walk): encoding, not the database, sets the pace. The readings are cut into
   * chunks; each chunk is encoded to NDJSON on the encoding pool and written whole. A few chunks at
   * most are in memory at once.
   */
  private void writeObservations(Consumer<Consumer<Measurement>> source, Ndjson out) {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    Semaphore inFlight = new Semaphore(threads * 2);
    List<Future<?>> pending = new ArrayList<>();
    try (ExecutorService encoders = Executors.newFixedThreadPool(threads)) {
      List<Measurement> chunk = new ArrayList<>(ENCODE_CHUNK);
      Consumer<List<Measurement>> submit =
          readings -> {
            inFlight.acquireUninterruptibly();
            pending.add(
                encoders.submit(() -> {
                  try {
                    out.writeEncoded(encode(readings), readings.size());
                  } finally {
                    inFlight.release();
                  }
                }));
          };
      source.accept(m -> {
        chunk.add(m);
        if (chunk.size() == ENCODE_CHUNK) {
          submit.accept(List.copyOf(chunk));
          chunk.clear();
        }
      });
      if (!chunk.isEmpty()) {
        submit.accept(List.copyOf(chunk));
      }
      for (Future<?> done : pending) {
        done.get();
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException();
    }
  }

  private String encode(List<Measurement> readings) {
    StringWriter lines = new StringWriter(readings.size() * 800);
    try (JsonGenerator out = observations.generator(lines)) {
      for (Measurement m : readings) {
        observations.write(m, out);
        out.writeRaw('\n');
      }
    }
    return lines.toString();
  }

  /** One resource per line; checks every so often whether the export was cancelled. */
  private static final class Ndjson {
    private final IParser parser;
    private final Writer out;
    private final BulkExport export;
    private long count;

    Ndjson(IParser parser, Writer out, BulkExport export) {
      this.parser = parser;
      this.out = out;
      this.export = export;
    }

    /** Lines encoded elsewhere, written whole. */
    synchronized void writeEncoded(String lines, int resources) {
      if (export.cancelled()) {
        throw new CancelledException();
      }
      try {
        out.write(lines);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      count += resources;
      export.wrote(resources);
    }

    synchronized void write(IBaseResource resource) {
      try {
        parser.encodeResourceToWriter(resource, out);
        out.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (++count % CHECK_EVERY == 0) {
        export.wrote(CHECK_EVERY);
        if (export.cancelled()) {
          throw new CancelledException();
        }
      }
    }
  }

  private static final class CancelledException extends RuntimeException {
    CancelledException() {
      super("cancelled", null, false, false);
    }
  }

  private static void deleteFiles(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      log.warn("Could not delete the export files in {}: {}", directory, e.toString());
    }
  }

  @Override
  public void destroy() {
    exports.values().forEach(BulkExport::cancel);
    runner.shutdownNow();
  }
}
