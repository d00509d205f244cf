package org.vigil.messaging;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of file a message may carry: pictures (a rash, a wound, a meter's display) and PDF
 * letters. A file's kind is what its first bytes say, not what the sender's browser claims, so a
 * script renamed {@code photo.png} is refused.
 */
enum AttachmentType {
  PNG("image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}),
  JPEG("image/jpeg", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff}),
  PDF("application/pdf", new byte[] {'%', 'P', 'D', 'F', '-'});

  private final String mediaType;
  private final byte[] signature;

  AttachmentType(String mediaType, byte[] signature) {
    this.mediaType = mediaType;
    this.signature = signature;
  }

  String mediaType() {
    return mediaType;
  }

  static Optional<AttachmentType> of(byte[] content) {
    return Arrays.stream(values())
        .filter(t ->
            content.length >= t.signature.length
                && Arrays.equals(
                    content, 0, t.signature.length, t.signature, 0, t.signature.length))
        .findFirst();
  }
}
