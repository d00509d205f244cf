package org.vigil.messaging;

import java.time.Instant;
import java.util.Optional;

/**
 * One message in a patient's thread.
 *
 * @param sender the username of who wrote it
 * @param senderName how the sender is shown: their display name
 * @param fromPatient whether the patient wrote it (otherwise someone of the care team)
 * @param readAt when the other side first opened the thread after it arrived (the read receipt)
 * @param readBy who that was
 */
public record PatientMessage(
    String id,
    String patientId,
    String sender,
    String senderName,
    boolean fromPatient,
    String text,
    Instant sentAt,
    Optional<Instant> readAt,
    Optional<String> readBy,
    Optional<Attachment> attachment) {

  /** What a message's attachment is, without its content. */
  public record Attachment(String fileName, String mediaType, int size) {}
}
