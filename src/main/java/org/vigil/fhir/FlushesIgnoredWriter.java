package org.vigil.fhir;

import java.io.FilterWriter;
import java.io.Writer;

/**
 * A writer whose {@code flush()} does nothing; closing it still flushes and closes the writer
 * beneath. HAPI's JSON encoder flushes after every value it writes (Jackson's
 * flush-after-write-value); written straight to a socket or a file, each flush is a system call.
 */
final class FlushesIgnoredWriter extends FilterWriter {

  FlushesIgnoredWriter(Writer out) {
    super(out);
  }

  @Override
  public void flush() {}
}
