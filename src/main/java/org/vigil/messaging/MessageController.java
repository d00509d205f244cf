package org.vigil.messaging;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.vigil.api.ApiException;
import org.vigil.audit.AuditAgents;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;
import org.vigil.security.PatientAccess;
import org.vigil.security.Role;

/**
 * {@code /api/v1/patients/{id}/messages}: the patient's secure message thread with their care team.
 * The patient and the nurses and clinicians who may see the patient read it ({@code GET}, which
 * also gives the other side its read receipts) and write to it ({@code POST}, JSON {@code {"text":
 * …}} or a form with {@code text} and an optional {@code file}: a PNG or JPEG picture or a PDF).
 * Nobody else may, not even an administrator. Every read and every message is audited.
 */
@RestController
class MessageController {

  record NewMessage(String text) {}

  record Thread(String patientId, List<PatientMessage> messages) {}

  private final SecureMessages messages;
  private final PatientAccess access;
  private final AuditTrail audit;
  private final AuditAgents agents;
  private final DataSize maxAttachment;

  MessageController(
      SecureMessages messages,
      PatientAccess access,
      AuditTrail audit,
      AuditAgents agents,
      @Value("${vigil.messages.max-attachment:5MB}") DataSize maxAttachment) {
    this.messages = messages;
    this.access = access;
    this.audit = audit;
    this.agents = agents;
    this.maxAttachment = maxAttachment;
  }

  @GetMapping("/api/v1/patients/{patientId}/messages")
  Thread read(@PathVariable String patientId, Authentication caller) {
    Role role = participant(patientId, caller, "R", "read messages");
    List<PatientMessage> thread = messages.open(patientId, caller.getName(), role == Role.PATIENT);
    record(patientId, "R", "read messages (" + thread.size() + ")");
    return new Thread(patientId, thread);
  }

  @PostMapping(
      path = "/api/v1/patients/{patientId}/messages",
      consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<PatientMessage> write(
      @PathVariable String patientId,
      @RequestBody(required = false) NewMessage message,
      Authentication caller) {
    return send(patientId, message == null ? null : message.text(), null, caller);
  }

  @PostMapping(
      path = "/api/v1/patients/{patientId}/messages",
      consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  ResponseEntity<PatientMessage> writeWithFile(
      @PathVariable String patientId,
      @RequestParam(name = "text", required = false) String text,
      @RequestPart(name = "file", required = false) MultipartFile file,
      Authentication caller) {
    return send(patientId, text, file, caller);
  }

  @GetMapping("/api/v1/patients/{patientId}/messages/{messageId}/attachment")
  ResponseEntity<byte[]> attachment(
      @PathVariable String patientId, @PathVariable String messageId, Authentication caller) {
    participant(patientId, caller, "R", "read message attachment " + messageId);
    SecureMessages.StoredAttachment file =
        messages
            .attachment(patientId, messageId)
            .orElseThrow(() ->
                new ApiException(
                    HttpStatus.NOT_FOUND,
                    IssueType.NOTFOUND,
                    "no attachment to message " + messageId + " in this thread"));
    record(patientId, "R", "read message attachment " + messageId);
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(file.about().mediaType()))
        // Served as a download, never rendered in Vigil's own origin.
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment()
                .filename(file.about().fileName(), java.nio.charset.StandardCharsets.UTF_8)
                .build()
                .toString())
        .header("X-Content-Type-Options", "nosniff")
        .body(file.content());
  }

  private ResponseEntity<PatientMessage> send(
      String patientId, String text, MultipartFile file, Authentication caller) {
    Role role = participant(patientId, caller, "C", "send message");
    String body = text == null ? "" : text.strip();
    if (body.isEmpty() && (file == null || file.isEmpty())) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.REQUIRED, "text: write something or attach a file");
    }
    if (body.length() > SecureMessages.MAX_TEXT) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          IssueType.TOOLONG,
          "text: at most " + SecureMessages.MAX_TEXT + " characters; attach longer documents");
    }
    Optional<SecureMessages.NewAttachment> attachment = Optional.empty();
    if (file != null && !file.isEmpty()) {
      attachment = Optional.of(checked(file));
    }
    PatientMessage sent =
        messages.send(patientId, caller.getName(), role == Role.PATIENT, body, attachment);
    record(
        patientId,
        "C",
        "send message " + sent.id() + (attachment.isPresent() ? " with attachment" : ""));
    return ResponseEntity.status(HttpStatus.CREATED).body(sent);
  }

  private SecureMessages.NewAttachment checked(MultipartFile file) {
    if (file.getSize() > maxAttachment.toBytes()) {
      throw new ApiException(
          HttpStatus.PAYLOAD_TOO_LARGE,
          IssueType.TOOLONG,
          "file: at most " + maxAttachment.toMegabytes() + " MB");
    }
    byte[] content;
    try {
      content = file.getBytes();
    } catch (IOException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.INCOMPLETE, "file: the upload did not arrive whole");
    }
    AttachmentType type =
        AttachmentType.of(content)
            .orElseThrow(() ->
                new ApiException(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    IssueType.NOTSUPPORTED,
                    "file: pictures (PNG, JPEG) and PDF documents only"));
    String name = file.getOriginalFilename() == null ? "" : file.getOriginalFilename().strip();
    // The name as the sender's computer called it, without any path, printable and short.
    name = name.replaceAll(".*[/\\\\]", "").replaceAll("\\p{Cntrl}", "");
    if (name.isEmpty()) {
      name = "attachment";
    }
    if (name.length() > 200) {
      name = name.substring(name.length() - 200);
    }
    return new SecureMessages.NewAttachment(name, type, content);
  }

  /**
   * The caller's role in the thread: the patient, or a nurse or clinician who may see the patient.
   * Anyone else is refused, and the refusal audited.
   */
  private Role participant(String patientId, Authentication caller, String action, String what) {
    PatientAccess.Scope scope = access.of(caller);
    Role role = scope.role().orElse(null);
    boolean mayTake =
        (role == Role.PATIENT || role == Role.NURSE || role == Role.CLINICIAN)
            && scope.mayAccess(patientId);
    if (!mayTake) {
      String why = "only the patient and the people looking after them take part in the thread";
      audit.record(
          new AuditEntry(
              "rest",
              action,
              AuditEntry.MINOR_FAILURE,
              agents.current(),
              Set.of(patientId),
              what,
              Optional.of(why)));
      throw new ApiException(HttpStatus.FORBIDDEN, IssueType.FORBIDDEN, why);
    }
    return role;
  }

  private void record(String patientId, String action, String what) {
    audit.record(
        new AuditEntry(
            "rest",
            action,
            AuditEntry.SUCCESS,
            agents.current(),
            Set.of(patientId),
            what,
            Optional.empty()));
  }
}
