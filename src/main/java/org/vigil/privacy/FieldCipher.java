package org.vigil.privacy;

/**
 * Encrypts the fields that identify a patient before they are stored, and makes the keyed hashes
 * ("blind indexes") that let Vigil still find a patient by an identifier without storing it. Vigil
 * ships an implementation with keys in the data directory ({@link TinkFieldCipher}); a key
 * management service or Vault can implement the same interface.
 */
public interface FieldCipher {

  /**
   * Authenticated encryption bound to a context: a ciphertext made for one context (e.g. {@code
   * patient/p1/family_name}) does not decrypt in another, so values cannot be swapped between rows
   * or columns unnoticed.
   */
  String encrypt(String plaintext, String context);

  /**
   * @throws IllegalStateException when the ciphertext was altered, belongs to another context, or
   *     was made with a key this cipher does not hold
   */
  String decrypt(String ciphertext, String context);

  /** Whether a stored value is one this cipher made (and not plaintext from before encryption). */
  boolean isCiphertext(String stored);

  /**
   * The same value under the key that encrypts now: {@code ciphertext} itself when that key made it
   * already, otherwise it decrypted and encrypted again for the same context. After a key rotation
   * this lets every stored value move to the new key, so that the old one can be retired.
   *
   * @throws IllegalStateException as {@link #decrypt}
   */
  String reencrypt(String ciphertext, String context);

  /**
   * A keyed hash of a normalized identifier, the same every time for the same {@code kind} and
   * value, useless to someone without the key: searching by it finds the patient.
   */
  String blindIndex(String kind, String value);
}
