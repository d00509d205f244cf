package org.vigil.telemedicine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.vigil.testsupport.VigilApi;
import tools.jackson.databind.JsonNode;

/** A visit signalling socket as a test drives it: frames in, frames out, in order. */
final class SignalSocket implements AutoCloseable {

  private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private final WebSocket socket;

  private SignalSocket(int port) {
    socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + port + "/api/v1/visits/signal"),
                new WebSocket.Listener() {
                  private final StringBuilder text = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                      frames.add(VigilApi.json(text.toString()));
                      text.setLength(0);
                    }
                    ws.request(1);
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                    closed.complete(status + " " + reason);
                    return null;
                  }

                  @Override
                  public void onError(WebSocket ws, Throwable error) {
                    closed.complete("error " + error);
                  }
                })
            .join();
  }

  static SignalSocket open(int port) {
    return new SignalSocket(port);
  }

  SignalSocket send(String text) {
    socket.sendText(text, true).join();
    return this;
  }

  SignalSocket join(String accessToken, String link) {
    return send(
        "{\"type\":\"join\",\"accessToken\":\"" + accessToken + "\",\"link\":\"" + link + "\"}");
  }

  /** The next frame of this type, skipping others; fails after 10 s. */
  JsonNode next(String type) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    StringBuilder seen = new StringBuilder();
    while (System.nanoTime() < until) {
      JsonNode frame = frames.poll(100, TimeUnit.MILLISECONDS);
      if (frame == null) {
        continue;
      }
      if (frame.path("type").asString().equals(type)) {
        return frame;
      }
      seen.append(frame).append('\n');
    }
    throw new AssertionError("no " + type + " frame within 10 s; saw:\n" + seen);
  }

  /** The close's status and reason, once the server closed the socket. */
  String closedWith() throws Exception {
    return closed.get(10, TimeUnit.SECONDS);
  }

  boolean isOpen() {
    return !closed.isDone();
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(2, TimeUnit.SECONDS);
    }
  }
}
