package org.vigil.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.PatientRepository;
import org.vigil.privacy.FieldReencryption;
import org.vigil.privacy.TinkFieldCipher;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.testsupport.Command;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;
import tools.jackson.databind.JsonNode;

/**
 * A patient and their nurse exchange secure messages over the real server, the patient's picture
 * uploaded with curl as a form: the nurse sees it and downloads the same bytes, the patient sees
 * the reply and the read receipt. Nobody outside the thread reads it, files that are not pictures
 * or PDF are refused by what they are, and the text is stored sealed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecureMessagesIT extends VigilServerTest {

  private static final String SCOPES = "openid user/*.rs patient/*.rs";

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired UserAccounts users;
  @Autowired JdbcTemplate jdbc;
  @Autowired TinkFieldCipher cipher;
  @Autowired SecureMessages messages;

  @TempDir Path files;

  private String patient;
  private String otherPatient;
  private String nurse;
  private String otherWardNurse;
  private String admin;

  @BeforeAll
  void people() {
    TestWard ward = new TestWard(patients, devices);
    ward.patient("msg-1");
    ward.patient("msg-2");
    users.save(
        new UserAccount("msg-patient", Role.PATIENT, "Mara", Optional.of("msg-1"), true), "pw-p1");
    users.save(
        new UserAccount("msg-patient2", Role.PATIENT, "Otto", Optional.of("msg-2"), true), "pw-p2");
    users.save(
        new UserAccount("msg-nurse", Role.NURSE, "Nurse Nia", Optional.empty(), true), "pw-n1");
    users.setWards("msg-nurse", Set.of("Ward 7B"));
    users.save(
        new UserAccount("msg-nurse2", Role.NURSE, "Nurse Ned", Optional.empty(), true), "pw-n2");
    users.setWards("msg-nurse2", Set.of("Ward 3A"));
    users.save(new UserAccount("msg-admin", Role.ADMIN, "Ada", Optional.empty(), true), "pw-a");
    WebSignIn web = new WebSignIn(api().base());
    patient = web.accessToken("msg-patient", "pw-p1", SCOPES);
    otherPatient = new WebSignIn(api().base()).accessToken("msg-patient2", "pw-p2", SCOPES);
    nurse = new WebSignIn(api().base()).accessToken("msg-nurse", "pw-n1", SCOPES);
    otherWardNurse = new WebSignIn(api().base()).accessToken("msg-nurse2", "pw-n2", SCOPES);
    admin = new WebSignIn(api().base()).accessToken("msg-admin", "pw-a", SCOPES);
  }

  @Test
  void aPictureAndAReplyGoBothWaysWithReadReceipts() throws Exception {
    byte[] picture = png();
    Path file = Files.write(files.resolve("my ankle.png"), picture);
    Command.Result upload =
        curl(
            patient,
            "-F",
            "text=My ankle is swollen again since this morning",
            "-F",
            "file=@" + file + ";type=image/png",
            url("/api/v1/patients/msg-1/messages"));
    assertThat(upload.stdout()).as(upload.output()).endsWith("201");
    JsonNode sent = VigilApi.json(upload.stdout().substring(0, upload.stdout().length() - 3));
    String messageId = sent.path("id").asString();
    assertThat(sent.path("attachment").path("mediaType").asString()).isEqualTo("image/png");
    assertThat(sent.path("attachment").path("fileName").asString()).isEqualTo("my ankle.png");

    // The nurse opens the thread: the message with its picture, and the patient's receipt is set.
    HttpResponse<String> nurseView = api().get("/api/v1/patients/msg-1/messages", nurse);
    assertThat(nurseView.statusCode()).as(nurseView.body()).isEqualTo(200);
    JsonNode thread = VigilApi.json(nurseView.body()).path("messages");
    JsonNode first = last(thread);
    assertThat(first.path("text").asString())
        .isEqualTo("My ankle is swollen again since this morning");
    assertThat(first.path("senderName").asString()).isEqualTo("Mara");
    assertThat(first.path("fromPatient").asBoolean()).isTrue();

    HttpResponse<byte[]> download =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        api()
                            .base()
                            .resolve(
                                "/api/v1/patients/msg-1/messages/" + messageId + "/attachment"))
                    .header("Authorization", "Bearer " + nurse)
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(picture);
    assertThat(download.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(download.headers().firstValue("Content-Disposition").orElseThrow())
        .startsWith("attachment;");

    HttpResponse<String> reply =
        api()
            .postJson(
                "/api/v1/patients/msg-1/messages",
                nurse,
                "{\"text\":\"Please keep it raised; the doctor will call you at 3 pm.\"}");
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(201);

    HttpResponse<String> patientView = api().get("/api/v1/patients/msg-1/messages", patient);
    JsonNode seen = VigilApi.json(patientView.body()).path("messages");
    JsonNode own = find(seen, messageId);
    assertThat(own.path("readBy").asString()).isEqualTo("msg-nurse");
    assertThat(own.path("readAt").isNull()).isFalse();
    JsonNode answer = last(seen);
    assertThat(answer.path("text").asString()).startsWith("Please keep it raised");
    assertThat(answer.path("senderName").asString()).isEqualTo("Nurse Nia");
    JsonNode nurseAgain =
        VigilApi.json(api().get("/api/v1/patients/msg-1/messages", nurse).body()).path("messages");
    assertThat(last(nurseAgain).path("readBy").asString()).isEqualTo("msg-patient");

    // The text is stored sealed, not as written.
    String stored =
        jdbc.queryForObject(
            "select text_sealed from patient_message where id = ?", String.class, messageId);
    assertThat(stored).doesNotContain("ankle");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from audit_event where what like ?",
                Integer.class,
                "send message " + messageId + "%"))
        .isEqualTo(1);
  }

  @Test
  void nobodyOutsideTheThreadReadsOrWritesIt() {
    api().postJson("/api/v1/patients/msg-1/messages", patient, "{\"text\":\"private\"}");
    for (String outsider : List.of(otherPatient, otherWardNurse, admin)) {
      HttpResponse<String> read = api().get("/api/v1/patients/msg-1/messages", outsider);
      assertThat(read.statusCode()).as(read.body()).isEqualTo(403);
      assertThat(read.body()).contains("OperationOutcome").doesNotContain("private");
      HttpResponse<String> write =
          api().postJson("/api/v1/patients/msg-1/messages", outsider, "{\"text\":\"hello\"}");
      assertThat(write.statusCode()).isEqualTo(403);
    }
    assertThat(api().get("/api/v1/patients/msg-1/messages", null).statusCode()).isEqualTo(401);
  }

  @Test
  void filesAreJudgedByWhatTheyAreAndTextByItsLength() throws IOException {
    Path script = Files.writeString(files.resolve("photo.png"), "#!/bin/sh\nrm -rf /\n");
    Command.Result disguised =
        curl(
            patient,
            "-F",
            "text=see",
            "-F",
            "file=@" + script + ";type=image/png",
            url("/api/v1/patients/msg-1/messages"));
    assertThat(disguised.stdout()).endsWith("415").contains("PNG, JPEG").contains("PDF");

    Path letter =
        Files.write(
            files.resolve("discharge.pdf"),
            "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
                .getBytes(StandardCharsets.US_ASCII));
    Command.Result pdf =
        curl(
            nurse,
            "-F",
            "text=Your letter",
            "-F",
            "file=@" + letter,
            url("/api/v1/patients/msg-1/messages"));
    assertThat(pdf.stdout()).endsWith("201").contains("application/pdf");

    HttpResponse<String> empty =
        api().postJson("/api/v1/patients/msg-1/messages", patient, "{\"text\":\"   \"}");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).contains("text:");
    HttpResponse<String> tooLong =
        api()
            .postJson(
                "/api/v1/patients/msg-1/messages",
                patient,
                "{\"text\":\"" + "a".repeat(SecureMessages.MAX_TEXT + 1) + "\"}");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.body()).contains("at most " + SecureMessages.MAX_TEXT);

    HttpResponse<String> noSuchFile =
        api().get("/api/v1/patients/msg-1/messages/nope/attachment", patient);
    assertThat(noSuchFile.statusCode()).isEqualTo(404);
  }

  @Test
  void afterAKeyRotationEveryMessageAndAttachmentMovesToTheNewKey() throws IOException {
    Path letter =
        Files.write(
            files.resolve("plan.pdf"), "%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
    Command.Result sent =
        curl(
            nurse,
            "-F",
            "text=Your care plan",
            "-F",
            "file=@" + letter,
            url("/api/v1/patients/msg-2/messages"));
    assertThat(sent.stdout()).as("msg-2 is on the nurse's ward too").endsWith("201");
    int newKey = cipher.rotate();

    FieldReencryption.Report report = new FieldReencryption(List.of(messages)).run(2);

    assertThat(report.counts())
        .singleElement()
        .satisfies(c -> {
          assertThat(c.kind()).isEqualTo("messages");
          assertThat(c.rewritten()).isEqualTo(c.read()).isPositive();
        });
    assertThat(jdbc.queryForList("select text_sealed from patient_message", String.class))
        .extracting(TinkFieldCipher::keyIdOf)
        .containsOnly(newKey);
    assertThat(messages.thread("msg-2"))
        .extracting(PatientMessage::text)
        .contains("Your care plan");
    assertThat(new FieldReencryption(List.of(messages)).run(100).rewritten())
        .as("nothing left under the old key")
        .isZero();
  }

  private String url(String path) {
    return api().base().resolve(path).toString();
  }

  private static Command.Result curl(String token, String... arguments) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "curl",
                "-s",
                "-w",
                "%{http_code}",
                "-H",
                "Authorization: Bearer " + token,
                "--max-time",
                "20"));
    command.addAll(List.of(arguments));
    Command.Result result = Command.run(Duration.ofSeconds(30), command);
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result;
  }

  private static JsonNode last(JsonNode messages) {
    return messages.get(messages.size() - 1);
  }

  private static JsonNode find(JsonNode messages, String id) {
    for (JsonNode m : messages) {
      if (m.path("id").asString().equals(id)) {
        return m;
      }
    }
    throw new AssertionError("no message " + id + " in " + messages);
  }

  private static byte[] png() throws IOException {
    BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 32; x++) {
      for (int y = 0; y < 24; y++) {
        image.setRGB(x, y, (x * 8) << 16 | (y * 10) << 8 | 0x40);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
