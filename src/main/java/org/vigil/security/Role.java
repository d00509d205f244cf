package org.vigil.security;

/** Who someone is to Vigil; decides what they may see and do. */
public enum Role {
  ADMIN,
  CLINICIAN,
  NURSE,
  PATIENT,
  /** Another system: an EHR, a research warehouse, an integration engine. */
  INTEGRATION,
  DEVICE;

  public String authority() {
    return "ROLE_" + name();
  }

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
