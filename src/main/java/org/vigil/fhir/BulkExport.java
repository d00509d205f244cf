package org.vigil.fhir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One FHIR Bulk Data export: what was asked and by whom, and how far it has got. Its state changes
 * as the export runs; readers get consistent copies.
 */
final class BulkExport {

  enum State {
    QUEUED,
    RUNNING,
    COMPLETE,
    FAILED,
    CANCELLED
  }

  /** One NDJSON file of the export: a resource type and how many resources it holds. */
  record Output(String type, Path file, long count) {}

  /** A consistent copy of the export's progress. */
  record Status(State state, List<Output> outputs, long written, Optional<String> error) {}

  private final String id;
  private final String owner;
  private final Set<String> types;
  private final Optional<Instant> since;
  private final Optional<Set<String>> patients;
  private final String request;
  private final Instant transactionTime;
  private final Path directory;

  private State state = State.QUEUED;
  private final List<Output> outputs = new ArrayList<>();
  private long written;
  private String error;

  BulkExport(
      String id,
      String owner,
      Set<String> types,
      Optional<Instant> since,
      Optional<Set<String>> patients,
      String request,
      Instant transactionTime,
      Path directory) {
    this.id = id;
    this.owner = owner;
    this.types = Set.copyOf(types);
    this.since = since;
    this.patients = patients.map(Set::copyOf);
    this.request = request;
    this.transactionTime = transactionTime;
    this.directory = directory;
  }

  String id() {
    return id;
  }

  /** The client that asked for it: only it may see the export's status and files. */
  String owner() {
    return owner;
  }

  Set<String> types() {
    return types;
  }

  Optional<Instant> since() {
    return since;
  }

  /**
   * The patients whose data to export — a Group's members when the export was asked for, which the
   * export keeps to however the group changes meanwhile — or empty for every patient.
   */
  Optional<Set<String>> patients() {
    return patients;
  }

  /** The kick-off request's URL, reported back in the manifest. */
  String request() {
    return request;
  }

  /** Resources changed after this instant are not guaranteed to be in the export. */
  Instant transactionTime() {
    return transactionTime;
  }

  Path directory() {
    return directory;
  }

  synchronized Status status() {
    return new Status(state, List.copyOf(outputs), written, Optional.ofNullable(error));
  }

  synchronized boolean start() {
    if (state != State.QUEUED) {
      return false;
    }
    state = State.RUNNING;
    return true;
  }

  synchronized void wrote(long resources) {
    written += resources;
  }

  synchronized void finished(Output output) {
    outputs.add(output);
  }

  synchronized void complete() {
    if (state == State.RUNNING) {
      state = State.COMPLETE;
    }
  }

  synchronized void fail(String reason) {
    state = State.FAILED;
    error = reason;
  }

  /** Asks the export to stop; it stops at its next check. */
  synchronized void cancel() {
    state = State.CANCELLED;
  }

  synchronized boolean cancelled() {
    return state == State.CANCELLED;
  }
}
