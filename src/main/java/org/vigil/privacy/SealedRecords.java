package org.vigil.privacy;

import java.util.Optional;

/**
 * Extension point: records whose fields are stored sealed by the {@link FieldCipher}, which can be
 * moved to the key that encrypts now a page at a time. Each feature that stores sealed fields
 * implements it for its table; {@link FieldReencryption} walks all of them after a key rotation.
 */
public interface SealedRecords {

  /** What the records are, plural, as an administrator reads it: {@code patients}. */
  String kind();

  /**
   * Re-encrypts under the primary key every sealed field of at most {@code limit} records, the
   * first ones in key order after {@code after} (from the start when empty). A record written
   * meanwhile by someone else is left as they wrote it. Running it again over records already under
   * the primary key rewrites nothing.
   */
  Batch reencrypt(Optional<String> after, int limit);

  /**
   * @param last the key of the last record read, empty when there were none left
   * @param read how many records were read
   * @param rewritten how many of them had a field under an older key and were written again
   */
  record Batch(Optional<String> last, int read, int rewritten) {
    public Batch {
      if (read < 0 || rewritten < 0 || rewritten > read) {
        throw new IllegalArgumentException("rewrote " + rewritten + " of " + read + " records");
      }
    }
  }
}
