package org.vigil.fhir;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.vigil.api.ApiException;
import org.vigil.audit.AuditAgent;
import org.vigil.audit.AuditAgents;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;
import tools.jackson.databind.json.JsonMapper;

/**
 * The status and files of Bulk Data exports (Bulk Data Access IG): poll the status URL until it
 * answers 200 with the manifest, fetch each file with the same access token, delete the export when
 * done. Only the client that asked for an export sees it; to others it does not exist.
 */
@RestController
class BulkExportController {

  private static final MediaType NDJSON = MediaType.parseMediaType("application/fhir+ndjson");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final BulkExports exports;
  private final AuditAgents agents;
  private final AuditTrail audit;

  BulkExportController(BulkExports exports, AuditAgents agents, AuditTrail audit) {
    this.exports = exports;
    this.agents = agents;
    this.audit = audit;
  }

  @GetMapping(BulkExportProvider.STATUS_PATH + "{id}")
  ResponseEntity<String> status(@PathVariable String id) {
    BulkExport export = own(id);
    BulkExport.Status status = export.status();
    return switch (status.state()) {
      case QUEUED, RUNNING ->
          ResponseEntity.status(HttpStatus.ACCEPTED)
              .header("X-Progress", status.state() + ", " + status.written() + " resources written")
              .header("Retry-After", "1")
              .build();
      case FAILED ->
          throw new ApiException(
              HttpStatus.INTERNAL_SERVER_ERROR,
              IssueType.EXCEPTION,
              status.error().orElse("the export failed"));
      case CANCELLED -> throw notFound(id);
      case COMPLETE ->
          ResponseEntity.ok()
              .contentType(MediaType.APPLICATION_JSON)
              .body(manifest(export, status));
    };
  }

  @GetMapping(BulkExportProvider.STATUS_PATH + "{id}/{type}.ndjson")
  ResponseEntity<StreamingResponseBody> file(@PathVariable String id, @PathVariable String type) {
    BulkExport export = own(id);
    BulkExport.Output output =
        export.status().outputs().stream()
            .filter(o -> o.type().equals(type))
            .findFirst()
            .orElseThrow(() -> notFound(id + "/" + type + ".ndjson"));
    audit.record(
        new AuditEntry(
            "fhir",
            "R",
            AuditEntry.SUCCESS,
            agents.current(),
            export.patients().orElse(Set.of()),
            "bulk-export " + id + " " + type + ".ndjson",
            java.util.Optional.of(
                output.count()
                    + " "
                    + type
                    + " resources, "
                    + export
                        .patients()
                        .map(p -> "of " + p.size() + " patients")
                        .orElse("all patients"))));
    StreamingResponseBody body =
        out -> {
          try (InputStream in = Files.newInputStream(output.file())) {
            in.transferTo(out);
          }
        };
    return ResponseEntity.ok().contentType(NDJSON).body(body);
  }

  @DeleteMapping(BulkExportProvider.STATUS_PATH + "{id}")
  ResponseEntity<Void> delete(@PathVariable String id) {
    exports.delete(own(id));
    return ResponseEntity.status(HttpStatus.ACCEPTED).build();
  }

  /** The export, if the caller is the client that asked for it. */
  private BulkExport own(String id) {
    AuditAgent caller = agents.current();
    return exports
        .find(id)
        .filter(e -> e.owner().equals(caller.type() + ":" + caller.id()))
        .orElseThrow(() -> notFound(id));
  }

  private static ApiException notFound(String what) {
    return new ApiException(
        HttpStatus.NOT_FOUND, IssueType.NOTFOUND, "no bulk export " + what + " of this client");
  }

  private static String manifest(BulkExport export, BulkExport.Status status) {
    String base = ServletUriComponentsBuilder.fromCurrentRequestUri().build().toUriString();
    List<Map<String, Object>> output = new ArrayList<>();
    for (BulkExport.Output o : status.outputs()) {
      Map<String, Object> file = new LinkedHashMap<>();
      file.put("type", o.type());
      file.put("url", base + "/" + o.type() + ".ndjson");
      file.put("count", o.count());
      output.add(file);
    }
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("transactionTime", export.transactionTime().toString());
    manifest.put("request", export.request());
    manifest.put("requiresAccessToken", true);
    manifest.put("output", output);
    manifest.put("error", List.of());
    return JSON.writeValueAsString(manifest);
  }
}
