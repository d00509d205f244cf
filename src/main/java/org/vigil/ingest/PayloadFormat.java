package org.vigil.ingest;

/** How a device payload is to be read. */
public enum PayloadFormat {
  /** Vigil's native JSON: {@code {"time": …, "measurements": [{"code", "value", "unit"}]}}. */
  NATIVE_JSON
}
