package org.vigil.alarm;

import jakarta.annotation.PreDestroy;
import java.util.function.Predicate;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.vigil.api.PatientEventStreams;

/**
 * The live stream of alarm changes (Server-Sent Events): each subscriber gets every change to an
 * alarm of a patient it may see, as it happens, named by the alarm's status ({@code event: active},
 * {@code acknowledged}, {@code resolved}) with the alarm as JSON.
 */
@Component
class AlarmStream {

  private final PatientEventStreams streams = new PatientEventStreams("alarms");

  /** A new subscriber that sees the patients {@code maySee} accepts; open until it goes away. */
  SseEmitter subscribe(Predicate<String> maySee) {
    return streams.subscribe(maySee);
  }

  void publish(AlarmView alarm) {
    streams.send(
        alarm.patientId(),
        () ->
            SseEmitter.event()
                .id(alarm.id() + "-" + alarm.updatedAt().toEpochMilli())
                .name(alarm.status())
                .data(alarm, MediaType.APPLICATION_JSON));
  }

  int subscribers() {
    return streams.size();
  }

  /**
   * Ends every stream as soon as the node begins to stop — before the web server waits for open
   * requests to finish, which a stream never would — and again at destruction for any opened since.
   */
  @EventListener(ContextClosedEvent.class)
  @PreDestroy
  void close() {
    streams.close();
  }
}
