package org.vigil.messaging;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vigil.privacy.FieldCipher;
import org.vigil.privacy.SealedRecords;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;

/**
 * The secure message threads between patients and their care teams: one thread per patient, in
 * which the patient and anyone looking after them write. What is said, and any attachment, is
 * stored sealed; who wrote and when is not, so that receipts and counts need no decryption.
 */
@Service
public class SecureMessages implements SealedRecords {

  /** The longest message, in characters: a letter, not a document (that is an attachment). */
  static final int MAX_TEXT = 4000;

  /** A file to attach, as received, of a type {@link AttachmentType} recognised in its bytes. */
  record NewAttachment(String fileName, AttachmentType type, byte[] content) {}

  /** A stored attachment with its content, for download. */
  record StoredAttachment(PatientMessage.Attachment about, byte[] content) {}

  private final JdbcTemplate jdbc;
  private final FieldCipher cipher;
  private final UserAccounts users;
  private final Clock clock = Clock.systemUTC();

  SecureMessages(JdbcTemplate jdbc, FieldCipher cipher, UserAccounts users) {
    this.jdbc = jdbc;
    this.cipher = cipher;
    this.users = users;
  }

  /**
   * Adds a message to the patient's thread.
   *
   * @param text already checked: not blank, at most {@link #MAX_TEXT} characters
   * @param attachment already checked by type and size
   */
  @Transactional
  public PatientMessage send(
      String patientId,
      String sender,
      boolean fromPatient,
      String text,
      Optional<NewAttachment> attachment) {
    String id = UUID.randomUUID().toString();
    Instant now = clock.instant();
    jdbc.update(
        "insert into patient_message (id, patient_id, sender, from_patient, text_sealed, sent_at)"
            + " values (?, ?, ?, ?, ?, ?)",
        id,
        patientId,
        sender,
        fromPatient,
        cipher.encrypt(text, context(id, "text")),
        OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
    Optional<PatientMessage.Attachment> about = Optional.empty();
    if (attachment.isPresent()) {
      NewAttachment file = attachment.get();
      String mediaType = file.type().mediaType();
      jdbc.update(
          "insert into patient_message_attachment"
              + " (message_id, file_name_sealed, media_type, size_bytes, content_sealed)"
              + " values (?, ?, ?, ?, ?)",
          id,
          cipher.encrypt(file.fileName(), context(id, "file_name")),
          mediaType,
          file.content().length,
          sealContent(id, file.content()));
      about =
          Optional.of(
              new PatientMessage.Attachment(file.fileName(), mediaType, file.content().length));
    }
    return new PatientMessage(
        id,
        patientId,
        sender,
        nameOf(sender),
        fromPatient,
        text,
        now,
        Optional.empty(),
        Optional.empty(),
        about);
  }

  /**
   * The patient's thread, oldest first, as the reader sees it: the other side's messages that the
   * reader's side had not opened yet are marked read by the reader now (the sender's read receipt).
   */
  @Transactional
  public List<PatientMessage> open(String patientId, String reader, boolean readerIsPatient) {
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    jdbc.update(
        "update patient_message set read_at = ?, read_by = ?"
            + " where patient_id = ? and from_patient = ? and read_at is null",
        now,
        reader,
        patientId,
        !readerIsPatient);
    return thread(patientId);
  }

  /** The patient's thread, oldest first, without marking anything read. */
  public List<PatientMessage> thread(String patientId) {
    java.util.Map<String, String> names = new java.util.HashMap<>();
    return jdbc.query(
        "select m.id, m.patient_id, m.sender, m.from_patient, m.text_sealed, m.sent_at, m.read_at,"
            + " m.read_by, a.file_name_sealed, a.media_type, a.size_bytes"
            + " from patient_message m left join patient_message_attachment a"
            + " on a.message_id = m.id where m.patient_id = ? order by m.sent_at, m.id",
        (rs, row) -> message(rs, names),
        patientId);
  }

  /** A message's attachment with its content, when the message is in the patient's thread. */
  public Optional<StoredAttachment> attachment(String patientId, String messageId) {
    return jdbc
        .query(
            "select a.file_name_sealed, a.media_type, a.size_bytes, a.content_sealed"
                + " from patient_message_attachment a join patient_message m"
                + " on m.id = a.message_id where m.patient_id = ? and a.message_id = ?",
            (rs, row) ->
                new StoredAttachment(
                    new PatientMessage.Attachment(
                        cipher.decrypt(rs.getString(1), context(messageId, "file_name")),
                        rs.getString(2),
                        rs.getInt(3)),
                    openContent(messageId, rs.getBytes(4))),
            patientId,
            messageId)
        .stream()
        .findFirst();
  }

  @Override
  public String kind() {
    return "messages";
  }

  /**
   * Rewrites a message's sealed text, and its attachment's file name and content, when under an
   * older key and unchanged since read.
   */
  @Override
  public Batch reencrypt(Optional<String> after, int limit) {
    List<String[]> rows =
        jdbc.query(
            "select id, text_sealed from patient_message where id > ? order by id limit ?",
            (rs, row) -> new String[] {rs.getString(1), rs.getString(2)},
            after.orElse(""),
            limit);
    int rewritten = 0;
    for (String[] message : rows) {
      String id = message[0];
      boolean moved = false;
      String text = cipher.reencrypt(message[1], context(id, "text"));
      if (!text.equals(message[1])) {
        moved |=
            jdbc.update(
                    "update patient_message set text_sealed = ? where id = ? and text_sealed = ?",
                    text,
                    id,
                    message[1])
                > 0;
      }
      moved |= reencryptAttachment(id);
      rewritten += moved ? 1 : 0;
    }
    return new Batch(
        rows.isEmpty() ? Optional.empty() : Optional.of(rows.getLast()[0]), rows.size(), rewritten);
  }

  private boolean reencryptAttachment(String id) {
    List<Object[]> attachments =
        jdbc.query(
            "select file_name_sealed, content_sealed from patient_message_attachment"
                + " where message_id = ?",
            (rs, row) -> new Object[] {rs.getString(1), rs.getBytes(2)},
            id);
    if (attachments.isEmpty()) {
      return false;
    }
    String name = (String) attachments.getFirst()[0];
    byte[] content = (byte[]) attachments.getFirst()[1];
    String movedName = cipher.reencrypt(name, context(id, "file_name"));
    String sealed = new String(content, StandardCharsets.UTF_8);
    String movedContent = cipher.reencrypt(sealed, context(id, "content"));
    if (movedName.equals(name) && movedContent.equals(sealed)) {
      return false;
    }
    return jdbc.update(
            "update patient_message_attachment set file_name_sealed = ?, content_sealed = ?"
                + " where message_id = ? and file_name_sealed = ?",
            movedName,
            movedContent.getBytes(StandardCharsets.UTF_8),
            id,
            name)
        > 0;
  }

  private PatientMessage message(ResultSet rs, java.util.Map<String, String> names)
      throws SQLException {
    String id = rs.getString("id");
    String sender = rs.getString("sender");
    String fileName = rs.getString("file_name_sealed");
    Optional<PatientMessage.Attachment> attachment =
        fileName == null
            ? Optional.empty()
            : Optional.of(
                new PatientMessage.Attachment(
                    cipher.decrypt(fileName, context(id, "file_name")),
                    rs.getString("media_type"),
                    rs.getInt("size_bytes")));
    OffsetDateTime readAt = rs.getObject("read_at", OffsetDateTime.class);
    return new PatientMessage(
        id,
        rs.getString("patient_id"),
        sender,
        names.computeIfAbsent(sender, this::nameOf),
        rs.getBoolean("from_patient"),
        cipher.decrypt(rs.getString("text_sealed"), context(id, "text")),
        rs.getObject("sent_at", OffsetDateTime.class).toInstant(),
        Optional.ofNullable(readAt).map(OffsetDateTime::toInstant),
        Optional.ofNullable(rs.getString("read_by")),
        attachment);
  }

  private String nameOf(String username) {
    return users.find(username).map(UserAccount::displayName).orElse(username);
  }

  private byte[] sealContent(String id, byte[] content) {
    String sealed =
        cipher.encrypt(Base64.getEncoder().encodeToString(content), context(id, "content"));
    return sealed.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] openContent(String id, byte[] sealed) {
    return Base64.getDecoder()
        .decode(cipher.decrypt(new String(sealed, StandardCharsets.UTF_8), context(id, "content")));
  }

  private static String context(String messageId, String field) {
    return "message/" + messageId + "/" + field;
  }
}
