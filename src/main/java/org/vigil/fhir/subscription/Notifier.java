package org.vigil.fhir.subscription;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.vigil.alarm.Alarm;
import org.vigil.alarm.AlarmListener;
import org.vigil.audit.AuditAgent;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;
import org.vigil.fhir.FlagProvider;
import org.vigil.fhir.ObservationMapper;
import org.vigil.log.IngestLog;
import org.vigil.measurement.Measurement;
import org.vigil.security.ClientRegistry;
import org.vigil.security.PatientAccess;

/**
 * Matches what happens against the active subscriptions and delivers the matches. Readings come
 * from the ingest log, as a consumer group of their own (so only durable ones, in order per
 * patient); alarm changes as an {@link AlarmListener}. Matching is done on the thread that brings
 * the event and is cheap; delivery is not, so each subscription has a queue and one virtual thread
 * of its own, and a slow or dead endpoint delays no one else. Just before delivering, the owner's
 * access is checked: a subscription delivers only what its owner may see at that moment (a nurse's,
 * her wards' patients), and each delivery is audited as a disclosure to the owner.
 */
@Component
class Notifier implements AlarmListener {

  /** The ingest log consumer group. */
  static final String GROUP = "subscriptions";

  private static final Logger log = LoggerFactory.getLogger(Notifier.class);

  private record Notification(String patientId, IBaseResource resource, long matchedAt) {}

  /** An active subscription and the thread that delivers its notifications in order. */
  private static final class Active {
    final StoredSubscription subscription;
    final ThreadPoolExecutor sender;

    Active(StoredSubscription subscription, int capacity) {
      this.subscription = subscription;
      this.sender =
          new ThreadPoolExecutor(
              1,
              1,
              30,
              TimeUnit.SECONDS,
              new ArrayBlockingQueue<>(capacity),
              Thread.ofVirtual().name("subscription-" + subscription.id()).factory());
      this.sender.allowCoreThreadTimeOut(true);
    }
  }

  private final SubscriptionRepository repository;
  private final ObservationMapper observations;
  private final PatientAccess access;
  private final ClientRegistry clients;
  private final AuditTrail audit;
  private final RestHook restHook;
  private final SubscriptionProperties settings;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Active> active = new ConcurrentHashMap<>();
  private final Map<String, Set<Session>> sockets = new ConcurrentHashMap<>();
  private final Cache<Owner, PatientAccess.Scope> owners;
  private final Timer latency;
  private final Counter delivered;
  private final Counter withheld;
  private final Counter dropped;
  private final Counter failed;

  Notifier(
      IngestLog ingestLog,
      SubscriptionRepository repository,
      ObservationMapper observations,
      PatientAccess access,
      ClientRegistry clients,
      AuditTrail audit,
      RestHook restHook,
      SubscriptionProperties settings,
      MeterRegistry meters) {
    this.repository = repository;
    this.observations = observations;
    this.access = access;
    this.clients = clients;
    this.audit = audit;
    this.restHook = restHook;
    this.settings = settings;
    this.owners = Caffeine.newBuilder().expireAfterWrite(settings.ownerCheckTtl()).build();
    this.latency =
        Timer.builder("vigil.fhir.subscription.delivery")
            .description("From a match to its notification delivered (POSTed or pinged)")
            .register(meters);
    this.delivered = counter(meters, "delivered", "Notifications delivered");
    this.withheld =
        counter(meters, "withheld", "Matches not delivered because the owner may not see them");
    this.dropped = counter(meters, "dropped", "Matches dropped because a queue was full");
    this.failed = counter(meters, "failed", "Notifications not delivered after every attempt");
    refresh();
    ingestLog.subscribe(GROUP, this::process);
  }

  private static Counter counter(MeterRegistry meters, String outcome, String description) {
    return Counter.builder("vigil.fhir.subscription.notifications")
        .description(description)
        .tag("outcome", outcome)
        .register(meters);
  }

  /** Starts delivering for a subscription that is now active (or with its new settings). */
  synchronized void activate(StoredSubscription subscription) {
    Active previous =
        active.put(subscription.id(), new Active(subscription, settings.queueCapacity()));
    if (previous != null) {
      previous.sender.shutdown();
    }
  }

  /** Stops delivering: the subscription was deleted or went to error. */
  synchronized void deactivate(String id) {
    Active gone = active.remove(id);
    if (gone != null) {
      gone.sender.shutdownNow();
    }
    Set<Session> bound = sockets.remove(id);
    if (bound != null) {
      bound.forEach(session -> send(session, "error Subscription/" + id + " has ended"));
    }
  }

  /** Re-reads the active subscriptions: those made, ended or failed on other nodes. */
  @Scheduled(
      fixedDelayString = "${vigil.fhir.subscriptions.refresh-interval:PT10S}",
      initialDelayString = "${vigil.fhir.subscriptions.refresh-interval:PT10S}")
  synchronized void refresh() {
    Set<String> seen = new java.util.HashSet<>();
    for (SubscriptionRepository.Row row : repository.active()) {
      String id = row.resource().getIdElement().getIdPart();
      seen.add(id);
      Active known = active.get(id);
      if (known != null && known.subscription.resource().equals(row.json())) {
        continue;
      }
      try {
        activate(StoredSubscription.from(row.resource(), row.owner(), "active", row.json()));
      } catch (StoredSubscription.InvalidSubscription e) {
        // stored before a rule it breaks: say so on the subscription instead of guessing
        fail(row.resource(), e.getMessage());
      }
    }
    active.keySet().stream().filter(id -> !seen.contains(id)).toList().forEach(this::deactivate);
  }

  /** A durable batch of readings from the log. */
  void process(List<Measurement> batch) {
    if (active.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    for (Measurement m : batch) {
      IBaseResource[] observation = {null};
      Supplier<IBaseResource> resource =
          () ->
              observation[0] != null
                  ? observation[0]
                  : (observation[0] = observations.toObservation(m));
      offer("Observation", m.patientId(), resource, now);
    }
  }

  @Override
  public void changed(Alarm alarm) {
    if (active.isEmpty()) {
      return;
    }
    IBaseResource[] flag = {null};
    offer(
        "Flag",
        alarm.patientId(),
        () -> flag[0] != null ? flag[0] : (flag[0] = FlagProvider.toFlag(alarm)),
        System.nanoTime());
  }

  private void offer(String type, String patientId, Supplier<IBaseResource> resource, long at) {
    java.time.Instant now = clock.instant();
    for (Active a : active.values()) {
      Criteria criteria = a.subscription.criteria();
      if (!criteria.resourceType().equals(type)
          || !criteria.mayConcern(patientId)
          || !a.subscription.activeAt(now)
          || !criteria.matches(resource.get())) {
        continue;
      }
      Notification notification = new Notification(patientId, resource.get(), at);
      try {
        a.sender.execute(() -> deliver(a, notification));
      } catch (RejectedExecutionException e) {
        dropped.increment();
        log.warn(
            "Subscription/{}: {} notifications waiting, a match for patient {} was dropped",
            a.subscription.id(),
            settings.queueCapacity(),
            patientId);
      }
    }
  }

  private void deliver(Active a, Notification notification) {
    StoredSubscription subscription = a.subscription;
    if (active.get(subscription.id()) != a) {
      return; // ended or replaced since the match
    }
    if (!scopeOf(subscription.owner()).mayAccess(notification.patientId())) {
      withheld.increment();
      return;
    }
    String what =
        "notify Subscription/"
            + subscription.id()
            + " of "
            + notification.resource().fhirType()
            + "/"
            + notification.resource().getIdElement().getIdPart()
            + " by "
            + subscription.channel()
            + subscription.endpoint().map(e -> " to " + e).orElse("");
    audit.record(
        new AuditEntry(
            "fhir",
            "E",
            AuditEntry.SUCCESS,
            new AuditAgent(
                subscription.owner().type(),
                subscription.owner().id(),
                Optional.empty(),
                Optional.empty()),
            Set.of(notification.patientId()),
            what,
            Optional.empty()));
    if (subscription.channel().equals(StoredSubscription.REST_HOOK)) {
      Optional<String> failure;
      try {
        failure = restHook.deliver(subscription, notification.resource());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // ended while waiting to retry
      }
      if (failure.isPresent()) {
        failed.increment();
        log.warn("Subscription/{} goes to error: {}", subscription.id(), failure.get());
        try {
          fail(repository.find(subscription.id()).orElseThrow().resource(), failure.get());
        } catch (RuntimeException e) {
          log.warn("Subscription/{} could not be set to error", subscription.id(), e);
        }
        return;
      }
    } else {
      Set<Session> bound = sockets.getOrDefault(subscription.id(), Set.of());
      for (Session session : bound) {
        send(session, "ping " + subscription.id());
      }
    }
    delivered.increment();
    latency.record(Duration.ofNanos(System.nanoTime() - notification.matchedAt()));
  }

  /** Puts a subscription into error, saying why, and stops its deliveries. */
  private void fail(Subscription resource, String reason) {
    String id = resource.getIdElement().getIdPart();
    resource.setStatus(Subscription.SubscriptionStatus.ERROR);
    resource.setError(reason.length() > 1000 ? reason.substring(0, 999) + "…" : reason);
    resource.getMeta().setLastUpdated(Date.from(clock.instant()));
    repository.update(resource);
    deactivate(id);
  }

  private PatientAccess.Scope scopeOf(Owner owner) {
    return owners.get(
        owner,
        o ->
            o.type().equals(Owner.USER)
                ? access.ofUser(o.id())
                : new PatientAccess.Scope(
                    clients.findByClientId(o.id()) != null, Set.of(), Optional.empty(), Set.of()));
  }

  /**
   * Binds a websocket to a subscription of the socket's owner, so that it is pinged on matches.
   *
   * @return why it may not, or empty once bound
   */
  Optional<String> bind(Session session, Owner owner, String id) {
    Active a = active.get(id);
    // Another's subscription, or none: the same answer, so that ids cannot be probed.
    if (a == null || !a.subscription.owner().equals(owner)) {
      return Optional.of("no active Subscription/" + id + " of yours");
    }
    if (!a.subscription.channel().equals(StoredSubscription.WEBSOCKET)) {
      return Optional.of("Subscription/" + id + " has a " + a.subscription.channel() + " channel");
    }
    sockets.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(session);
    return Optional.empty();
  }

  /** Forgets a websocket that closed. */
  void unbind(Session session) {
    sockets.values().forEach(bound -> bound.remove(session));
  }

  static void send(Session session, String text) {
    synchronized (session) {
      try {
        if (session.isOpen()) {
          session.getBasicRemote().sendText(text);
        }
      } catch (IOException | IllegalStateException e) {
        log.debug("websocket {} went away: {}", session.getId(), e.toString());
      }
    }
  }

  @PreDestroy
  void close() {
    active.values().forEach(a -> a.sender.shutdownNow());
  }
}
