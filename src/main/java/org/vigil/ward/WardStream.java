package org.vigil.ward;

import jakarta.annotation.PreDestroy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.vigil.analytics.News2Listener;
import org.vigil.analytics.News2Score;
import org.vigil.api.PatientEventStreams;
import org.vigil.log.IngestLog;
import org.vigil.measurement.Measurement;

/**
 * The ward overview's live feed (Server-Sent Events): new vital signs ({@code event: vitals}) and
 * NEWS2 assessments ({@code event: news2}) of the patients a subscriber may see. Changes are
 * gathered and sent at most once a second per patient, the newest reading of each vital sign only:
 * a tile needs the number now, not every beat, and a monitor sending at 1 Hz must not cost a socket
 * write per reading per open browser.
 */
@Component
class WardStream implements News2Listener {

  /** The ingest log's consumer group of the ward overview. */
  static final String GROUP = "ward";

  record VitalsChanged(String patientId, List<WardTile.Vital> vitals) {}

  record News2Changed(String patientId, WardTile.News2 news2) {}

  private final PatientEventStreams streams = new PatientEventStreams("ward");
  private final Map<String, Map<String, WardTile.Vital>> pendingVitals = new ConcurrentHashMap<>();
  private final Map<String, WardTile.News2> pendingScores = new ConcurrentHashMap<>();

  WardStream(IngestLog log) {
    log.subscribe(GROUP, this::take);
  }

  private void take(List<Measurement> batch) {
    if (streams.isEmpty()) {
      return;
    }
    for (Measurement m : batch) {
      if (!WardOverview.VITAL_CODES.contains(m.code())) {
        continue;
      }
      pendingVitals
          .computeIfAbsent(m.patientId(), p -> new ConcurrentHashMap<>())
          .merge(
              m.code(),
              WardOverview.vital(m),
              (held, given) -> given.at().isAfter(held.at()) ? given : held);
    }
  }

  @Override
  public void scoreChanged(News2Score score, Optional<News2Score> previous) {
    if (!streams.isEmpty()) {
      pendingScores.put(score.patientId(), WardOverview.news2(score, previous));
    }
  }

  /** A new subscriber that sees the patients {@code maySee} accepts; open until it goes away. */
  SseEmitter subscribe(Predicate<String> maySee) {
    return streams.subscribe(maySee);
  }

  @Scheduled(fixedDelayString = "${vigil.ward.stream-interval:PT1S}")
  void flush() {
    Map<String, List<WardTile.Vital>> vitals = new LinkedHashMap<>();
    for (String patientId : List.copyOf(pendingVitals.keySet())) {
      Map<String, WardTile.Vital> byCode = pendingVitals.remove(patientId);
      if (byCode != null) {
        vitals.put(patientId, List.copyOf(byCode.values()));
      }
    }
    Map<String, WardTile.News2> news2 = new LinkedHashMap<>();
    for (String patientId : List.copyOf(pendingScores.keySet())) {
      WardTile.News2 score = pendingScores.remove(patientId);
      if (score != null) {
        news2.put(patientId, score);
      }
    }
    vitals.forEach((patientId, changed) ->
        streams.send(patientId, () -> event("vitals", new VitalsChanged(patientId, changed))));
    news2.forEach((patientId, score) ->
        streams.send(patientId, () -> event("news2", new News2Changed(patientId, score))));
  }

  private static SseEmitter.SseEventBuilder event(String name, Object data) {
    return SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON);
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
