package org.vigil.api;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open Server-Sent Event streams of one live feed, each limited to the patients its subscriber
 * may see (decided when it subscribed). A stream lasts as long as its client keeps it open; a
 * client that has gone is dropped at the next write, quietly: there is nobody left to tell.
 */
public final class PatientEventStreams {

  private record Subscriber(SseEmitter emitter, Predicate<String> maySee) {}

  private final String name;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  /**
   * @param name sent as the stream's first comment, so a client sees it open at once
   */
  public PatientEventStreams(String name) {
    this.name = name;
  }

  /** A new stream for a subscriber who sees the patients {@code maySee} accepts. */
  public SseEmitter subscribe(Predicate<String> maySee) {
    // No timeout of our own: the stream lasts as long as the client keeps it open.
    SseEmitter emitter = new SseEmitter(0L);
    Subscriber subscriber = new Subscriber(emitter, maySee);
    subscribers.add(subscriber);
    emitter.onCompletion(() -> subscribers.remove(subscriber));
    emitter.onTimeout(() -> subscribers.remove(subscriber));
    emitter.onError(e -> subscribers.remove(subscriber));
    try {
      emitter.send(SseEmitter.event().comment(name));
    } catch (IOException e) {
      subscribers.remove(subscriber);
    }
    return emitter;
  }

  /** Sends the event to every subscriber who may see the patient. */
  public void send(String patientId, Supplier<SseEmitter.SseEventBuilder> event) {
    for (Subscriber subscriber : subscribers) {
      if (!subscriber.maySee().test(patientId)) {
        continue;
      }
      try {
        subscriber.emitter().send(event.get());
      } catch (IOException | IllegalStateException e) {
        subscribers.remove(subscriber);
        subscriber.emitter().complete();
      }
    }
  }

  public boolean isEmpty() {
    return subscribers.isEmpty();
  }

  public int size() {
    return subscribers.size();
  }

  /** Ends every stream: for a stopping node, whose web server would otherwise wait on them. */
  public void close() {
    for (Subscriber subscriber : subscribers) {
      subscriber.emitter().complete();
    }
    subscribers.clear();
  }
}
