package org.vigil.device;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.vigil.api.ApiException;
import org.vigil.patient.PatientRepository;

/**
 * {@code /api/v1/devices}: register devices (the token is in the answer, once), describe them,
 * assign them to patients, rotate or revoke their credentials, and see how they are doing.
 */
@RestController
class DeviceController {

  private final DeviceRegistry registry;
  private final DeviceHealth health;
  private final PatientRepository patients;
  private final List<DeviceRegistrationCheck> checks;
  private final ObjectProvider<DeviceCommandChannel> commands;

  DeviceController(
      DeviceRegistry registry,
      DeviceHealth health,
      PatientRepository patients,
      List<DeviceRegistrationCheck> checks,
      ObjectProvider<DeviceCommandChannel> commands) {
    this.registry = registry;
    this.health = health;
    this.patients = patients;
    this.checks = checks;
    this.commands = commands;
  }

  /** A device as the API shows it. */
  record DeviceView(
      String id,
      String type,
      String displayName,
      Optional<String> manufacturer,
      Optional<String> model,
      Optional<String> serialNumber,
      Optional<String> udi,
      Optional<DeviceDetails.DeviceTypeCode> typeCode,
      Optional<String> template,
      Instant registeredAt,
      Optional<Instant> revokedAt,
      Optional<String> patientId,
      DeviceStatus status) {}

  /** What a client sends to register or describe a device. */
  record DeviceRequest(
      String id,
      String type,
      String displayName,
      String manufacturer,
      String model,
      String serialNumber,
      String udi,
      DeviceDetails.DeviceTypeCode typeCode,
      String template) {}

  record Registered(DeviceView device, String token) {}

  record Token(String deviceId, String token) {}

  record AssignmentRequest(String patientId, String from) {}

  @GetMapping("/api/v1/devices")
  List<DeviceView> list() {
    return registry.all().stream().map(this::view).toList();
  }

  @GetMapping("/api/v1/devices/{id}")
  DeviceView one(@PathVariable String id) {
    return view(require(id));
  }

  @PostMapping("/api/v1/devices")
  ResponseEntity<Registered> register(@RequestBody DeviceRequest request) {
    DeviceRegistration registration = registration(request, request.id());
    try {
      var issued = registry.register(registration);
      return ResponseEntity.status(HttpStatus.CREATED)
          .body(new Registered(view(require(registration.id())), issued.token()));
    } catch (DeviceAlreadyRegisteredException e) {
      throw new ApiException(HttpStatus.CONFLICT, IssueType.DUPLICATE, e.getMessage());
    }
  }

  @PutMapping("/api/v1/devices/{id}")
  DeviceView describe(@PathVariable String id, @RequestBody DeviceRequest request) {
    require(id);
    return view(registry.describe(id, registration(request, id)));
  }

  @GetMapping("/api/v1/devices/{id}/assignments")
  List<DeviceAssignment> assignments(@PathVariable String id) {
    require(id);
    return registry.assignmentHistory(id);
  }

  @PutMapping("/api/v1/devices/{id}/assignment")
  DeviceView assign(@PathVariable String id, @RequestBody AssignmentRequest request) {
    require(id);
    if (request == null || request.patientId() == null || request.patientId().isBlank()) {
      throw invalid("patientId is required");
    }
    if (patients.find(request.patientId()).isEmpty()) {
      throw new ApiException(
          HttpStatus.UNPROCESSABLE_ENTITY, IssueType.NOTFOUND, "no patient " + request.patientId());
    }
    try {
      if (request.from() == null) {
        registry.assign(id, request.patientId());
      } else {
        registry.assign(id, request.patientId(), Instant.parse(request.from()));
      }
    } catch (DateTimeParseException e) {
      throw invalid("from must be an ISO 8601 instant, e.g. 2026-11-24T08:00:00Z");
    } catch (AssignmentConflictException e) {
      throw new ApiException(HttpStatus.CONFLICT, IssueType.CONFLICT, e.getMessage());
    }
    return view(require(id));
  }

  @DeleteMapping("/api/v1/devices/{id}/assignment")
  DeviceView unassign(@PathVariable String id) {
    require(id);
    registry.unassign(id);
    return view(require(id));
  }

  @PostMapping("/api/v1/devices/{id}/token")
  Token rotate(@PathVariable String id) {
    require(id);
    return new Token(id, registry.rotateToken(id).token());
  }

  /**
   * Sends a command ("measure-now", "sync-clock") to the device on {@code
   * devices/{id}/commands/{name}}. 202 once the broker holds it: a device that is offline gets it
   * when it reconnects with its persistent session.
   */
  @PostMapping("/api/v1/devices/{id}/commands/{name}")
  ResponseEntity<Void> command(
      @PathVariable String id,
      @PathVariable String name,
      @RequestBody(required = false) byte[] body) {
    Device device = require(id);
    if (device.revokedAt().isPresent()) {
      throw new ApiException(
          HttpStatus.CONFLICT, IssueType.BUSINESSRULE, "device " + id + " is revoked");
    }
    if (!COMMAND_NAME.matcher(name).matches()) {
      throw invalid("a command name is 1 to 64 letters, digits, '-' or '_'");
    }
    if (body != null && body.length > MAX_COMMAND_BYTES) {
      throw new ApiException(
          HttpStatus.CONTENT_TOO_LARGE,
          IssueType.TOOLONG,
          "a command body may have at most " + MAX_COMMAND_BYTES + " bytes");
    }
    DeviceCommandChannel channel = commands.getIfAvailable();
    if (channel == null) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          IssueType.NOTSUPPORTED,
          "commands need the MQTT transport, which is off on this node");
    }
    try {
      channel.send(id, name, body == null ? new byte[0] : body).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, IssueType.TRANSIENT, "interrupted");
    } catch (ExecutionException | TimeoutException e) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          IssueType.TRANSIENT,
          "the broker did not take the command; try again");
    }
    return ResponseEntity.accepted().build();
  }

  private static final Pattern COMMAND_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final int MAX_COMMAND_BYTES = 64 * 1024;

  @PostMapping("/api/v1/devices/{id}/revoke")
  DeviceView revoke(@PathVariable String id) {
    require(id);
    registry.revoke(id);
    return view(require(id));
  }

  private DeviceRegistration registration(DeviceRequest request, String id) {
    if (request == null) {
      throw invalid("a JSON body describing the device is required");
    }
    if (!Device.isValidId(id)) {
      throw invalid("id must be 1 to 64 letters, digits, '-' or '.'");
    }
    if (request.type() == null || request.type().isBlank()) {
      throw invalid("type is required (e.g. bedside-monitor, pulse-oximeter, bp-cuff)");
    }
    DeviceDetails details =
        new DeviceDetails(
            Optional.ofNullable(request.manufacturer()),
            Optional.ofNullable(request.model()),
            Optional.ofNullable(request.serialNumber()),
            Optional.ofNullable(request.udi()),
            Optional.ofNullable(request.typeCode()),
            Optional.ofNullable(request.template()).filter(t -> !t.isBlank()));
    DeviceRegistration registration;
    try {
      registration =
          new DeviceRegistration(
              id,
              request.type(),
              request.displayName() == null ? id : request.displayName(),
              details);
      new Device(id, request.type(), registration.displayName(), Instant.EPOCH); // validates type
    } catch (IllegalArgumentException | NullPointerException e) {
      throw invalid(e.getMessage());
    }
    for (DeviceRegistrationCheck check : checks) {
      check
          .check(registration)
          .ifPresent(problem -> {
            throw invalid(problem);
          });
    }
    return registration;
  }

  private Device require(String id) {
    return registry
        .find(id)
        .orElseThrow(
            () -> new ApiException(HttpStatus.NOT_FOUND, IssueType.NOTFOUND, "no device " + id));
  }

  private DeviceView view(Device d) {
    DeviceDetails details = d.details();
    return new DeviceView(
        d.id(),
        d.type(),
        d.displayName(),
        details.manufacturer(),
        details.model(),
        details.serialNumber(),
        details.udi(),
        details.typeCode(),
        details.template(),
        d.createdAt(),
        d.revokedAt(),
        registry.currentPatient(d.id()),
        health.status(d.id()));
  }

  private static ApiException invalid(String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, IssueType.INVALID, message);
  }
}
