package org.vigil.alarm;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live stream of alarm changes (Server-Sent Events): each subscriber gets every change to an
 * alarm of a patient it may see, as it happens, named by the alarm's status ({@code event: active},
 * {@code acknowledged}, {@code resolved}) with the alarm as JSON.
 */
@Component
class AlarmStream {

  private record Subscriber(SseEmitter emitter, Predicate<String> maySee) {}

  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  /** A new subscriber that sees the patients {@code maySee} accepts; open until it goes away. */
  SseEmitter subscribe(Predicate<String> maySee) {
    // No timeout of our own: the stream lasts as long as the client keeps it open.
    SseEmitter emitter = new SseEmitter(0L);
    Subscriber subscriber = new Subscriber(emitter, maySee);
    subscribers.add(subscriber);
    emitter.onCompletion(() -> subscribers.remove(subscriber));
    emitter.onTimeout(() -> subscribers.remove(subscriber));
    emitter.onError(e -> subscribers.remove(subscriber));
    try {
      // A first comment so that the client sees the stream open before the first alarm.
      emitter.send(SseEmitter.event().comment("alarms"));
    } catch (IOException e) {
      subscribers.remove(subscriber);
    }
    return emitter;
  }

  void publish(AlarmView alarm) {
    for (Subscriber subscriber : subscribers) {
      if (!subscriber.maySee().test(alarm.patientId())) {
        continue;
      }
      try {
        subscriber
            .emitter()
            .send(
                SseEmitter.event()
                    .id(alarm.id() + "-" + alarm.updatedAt().toEpochMilli())
                    .name(alarm.status())
                    .data(alarm, MediaType.APPLICATION_JSON));
      } catch (IOException | IllegalStateException e) {
        // The client has gone: end its stream quietly, there is nobody to tell.
        subscribers.remove(subscriber);
        subscriber.emitter().complete();
      }
    }
  }

  int subscribers() {
    return subscribers.size();
  }

  /**
   * Ends every stream as soon as the node begins to stop — before the web server waits for open
   * requests to finish, which a stream never would — and again at destruction for any opened since.
   */
  @EventListener(ContextClosedEvent.class)
  @PreDestroy
  void close() {
    for (Subscriber subscriber : subscribers) {
      subscriber.emitter().complete();
    }
    subscribers.clear();
  }
}
