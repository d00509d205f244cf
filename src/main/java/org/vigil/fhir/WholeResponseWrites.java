package org.vigil.fhir;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets the servlet container send FHIR responses in full buffers. HAPI's JSON writer flushes after
 * every value it writes (Jackson's flush-after-write-value), and each flush is a socket write: a
 * page of 1,000 Observations went out in tens of thousands of tiny writes and spent most of its
 * time in system calls. Here flushes inside a response are ignored; the container writes when its
 * buffer is full and once more when the response is complete.
 */
final class WholeResponseWrites extends OncePerRequestFilter {

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    chain.doFilter(request, new FlushesIgnored(response));
    response.flushBuffer();
  }

  private static final class FlushesIgnored extends HttpServletResponseWrapper {

    private PrintWriter writer;
    private ServletOutputStream stream;

    FlushesIgnored(HttpServletResponse response) {
      super(response);
    }

    @Override
    public PrintWriter getWriter() throws IOException {
      if (writer == null) {
        writer = new PrintWriter(new FlushesIgnoredWriter(super.getWriter()));
      }
      return writer;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      if (stream == null) {
        ServletOutputStream target = super.getOutputStream();
        stream =
            new ServletOutputStream() {
              @Override
              public boolean isReady() {
                return target.isReady();
              }

              @Override
              public void setWriteListener(WriteListener listener) {
                target.setWriteListener(listener);
              }

              @Override
              public void write(int b) throws IOException {
                target.write(b);
              }

              @Override
              public void write(byte[] bytes, int offset, int length) throws IOException {
                target.write(bytes, offset, length);
              }

              @Override
              public void flush() {}

              @Override
              public void close() throws IOException {
                target.close();
              }
            };
      }
      return stream;
    }
  }
}
