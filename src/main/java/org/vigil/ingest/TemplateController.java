package org.vigil.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.vigil.api.ApiException;
import org.vigil.api.OperationOutcomes;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.normalize.template.TemplateException;
import org.vigil.normalize.template.TemplateRegistry;
import org.vigil.normalize.template.TemplateTester;

/**
 * {@code /api/v1/templates}: the mapping templates — list them, read one, put a new version
 * (checked first: a broken one is refused with every problem named and the active one stays),
 * reload the directory, and try a template on a payload before any device sends it.
 */
@RestController
class TemplateController {

  private final TemplateRegistry templates;
  private final TemplateTester tester;
  private final OperationOutcomes outcomes;
  private final Clock clock = Clock.systemUTC();

  TemplateController(
      TemplateRegistry templates, MeasurementCatalog catalog, OperationOutcomes outcomes) {
    this.templates = templates;
    this.tester = new TemplateTester(catalog);
    this.outcomes = outcomes;
  }

  record Summary(String name, String description, List<String> deviceTypes, String origin) {}

  record TestRequest(String template, String payload) {}

  @GetMapping("/api/v1/templates")
  List<Summary> list() {
    return templates.all().stream()
        .map(l ->
            new Summary(
                l.template().name(),
                l.template().description(),
                l.template().deviceTypes().stream().sorted().toList(),
                l.origin()))
        .sorted(Comparator.comparing(Summary::name))
        .toList();
  }

  @GetMapping(path = "/api/v1/templates/{name}", produces = "text/plain")
  String source(@PathVariable String name) {
    return templates
        .find(name)
        .map(l -> l.template().source())
        .orElseThrow(() ->
            new ApiException(HttpStatus.NOT_FOUND, IssueType.NOTFOUND, "no template " + name));
  }

  @PutMapping(
      path = "/api/v1/templates/{name}",
      consumes = {"application/json", "application/yaml", "text/plain", "application/x-yaml"})
  ResponseEntity<?> put(@PathVariable String name, @RequestBody byte[] body) {
    try {
      var loaded = templates.put(name, new String(body, StandardCharsets.UTF_8));
      return ResponseEntity.ok(
          new Summary(
              name,
              loaded.template().description(),
              loaded.template().deviceTypes().stream().sorted().toList(),
              loaded.origin()));
    } catch (TemplateException e) {
      return outcomes.response(
          HttpStatus.UNPROCESSABLE_ENTITY,
          e.problems().stream()
              .map(p -> OperationOutcomes.Issue.of(IssueType.INVALID, p))
              .toList());
    }
  }

  @PostMapping("/api/v1/templates/reload")
  TemplateRegistry.ReloadReport reload() {
    return templates.reload();
  }

  @PostMapping("/api/v1/templates/test")
  TemplateTester.Report test(@RequestBody TestRequest request) {
    if (request == null || request.template() == null || request.payload() == null) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          IssueType.INVALID,
          "send {\"template\": \"…template text…\", \"payload\": \"…payload text…\"}");
    }
    return tester.test(request.template(), request.payload(), clock.instant());
  }
}
