package org.vigil.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.vigil.node.NodeProperties;
import org.vigil.patient.PatientRepository;
import org.vigil.store.MeasurementStore;

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

  private final Path root;
  private final MeasurementStore measurements;
  private final ObservationMapper observations;
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
      ObservationMapper observations,
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

  /** Accepts an export and queues it; the caller gets its id at once. */
  BulkExport start(String owner, Set<String> types, Optional<Instant> since, String request) {
    String id = UUID.randomUUID().toString();
    BulkExport export =
        new BulkExport(id, owner, types, since, request, clock.instant(), root.resolve(id));
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
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
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
    switch (type) {
      case "Patient" -> {
        int offset = 0;
        List<org.vigil.patient.Patient> page;
        while (!(page = patients.findAll(offset, 1_000)).isEmpty()) {
          page.forEach(p -> out.write(PatientProvider.toFhir(p)));
          offset += page.size();
        }
      }
      case "Device" -> devices.search(null).forEach(out::write);
      case "Observation" ->
          measurements.forEach(export.since(), m -> out.write(observations.toObservation(m)));
      default -> throw new IllegalArgumentException(type);
    }
    return out.count;
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

    void write(IBaseResource resource) {
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
