package org.vigil.fhir.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.alarm.AlarmPriority;
import org.vigil.alarm.Alarms;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;

/**
 * FHIR Subscriptions end to end: made with HAPI's generic client, delivered to a receiver on
 * loopback (rest-hook) and over a real websocket after readings come in over HTTP ingest and alarms
 * are raised — within a second, and only to owners who may see the patient.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubscriptionIT extends VigilServerTest {

  private static final String PATIENT = "subs-patient";
  private static final String DEVICE = "subs-monitor";
  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired ClientRegistry clients;
  @Autowired UserAccounts users;
  @Autowired Alarms alarms;

  private VigilApi api;
  private String system;
  private String deviceToken;
  private String nurseHere;
  private String nurseElsewhere;
  private HttpServer receiver;
  private final Map<String, BlockingQueue<Received>> hooks = new ConcurrentHashMap<>();

  /** One POST a hook received. */
  record Received(String event, String contentType, String authorization, String body, long at) {}

  @BeforeAll
  void wardClientsAndReceiver() throws IOException {
    api = api();
    TestWard ward = new TestWard(patients, devices);
    ward.patient(PATIENT); // Ward 7B
    deviceToken = ward.device(DEVICE, "bedside-monitor", PATIENT);
    system =
        api.token(
            "subs-ehr",
            clients.register("subs-ehr", Set.of("system/*.rs", "system/Subscription.cruds"), "t"),
            null);
    users.save(new UserAccount("subs-nurse-7b", Role.NURSE, "x", Optional.empty(), true), "pw-7b");
    users.setWards("subs-nurse-7b", Set.of("Ward 7B"));
    users.save(new UserAccount("subs-nurse-9s", Role.NURSE, "x", Optional.empty(), true), "pw-9s");
    users.setWards("subs-nurse-9s", Set.of("Ward 9S"));
    patients.save(
        new Patient(
            "subs-9s-patient",
            "MRN-subs-9s",
            "Achebe",
            "Nneka",
            Optional.empty(),
            "female",
            Optional.of("Ward 9S"),
            Optional.of("Bed 1"),
            Instant.now()));
    String scopes = "openid user/*.rs user/Subscription.cruds";
    nurseHere = new WebSignIn(api.base()).accessToken("subs-nurse-7b", "pw-7b", scopes);
    nurseElsewhere = new WebSignIn(api.base()).accessToken("subs-nurse-9s", "pw-9s", scopes);

    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook/", this::receive);
    receiver.start();
  }

  @AfterAll
  void stopReceiver() {
    receiver.stop(0);
  }

  /** Every hook answers 200, except {@code failing} which takes only the handshake. */
  private void receive(HttpExchange exchange) throws IOException {
    long at = System.nanoTime();
    String name = exchange.getRequestURI().getPath().substring("/hook/".length());
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String event = exchange.getRequestHeaders().getFirst(RestHook.EVENT_HEADER);
    hooks
        .computeIfAbsent(name, n -> new LinkedBlockingQueue<>())
        .add(
            new Received(
                event,
                exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("Authorization"),
                body,
                at));
    int status = name.equals("failing") && !"handshake".equals(event) ? 500 : 200;
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private String hook(String name) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook/" + name;
  }

  private BlockingQueue<Received> received(String name) {
    return hooks.computeIfAbsent(name, n -> new LinkedBlockingQueue<>());
  }

  /** The next notification (not handshake) on a hook that the filter accepts, within patience. */
  private Received next(String name, Predicate<Received> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    for (long left; (left = deadline - System.nanoTime()) > 0; ) {
      Received r = received(name).poll(left, TimeUnit.NANOSECONDS);
      if (r != null && "notification".equals(r.event()) && wanted.test(r)) {
        return r;
      }
    }
    throw new AssertionError("no notification on hook " + name + " within " + PATIENCE);
  }

  private static Subscription restHook(String criteria, String endpoint) {
    Subscription subscription = new Subscription();
    subscription.setStatus(Subscription.SubscriptionStatus.REQUESTED);
    subscription.setReason("test");
    subscription.setCriteria(criteria);
    subscription
        .getChannel()
        .setType(Subscription.SubscriptionChannelType.RESTHOOK)
        .setEndpoint(endpoint)
        .setPayload("application/fhir+json")
        .addHeader("Authorization: Bearer secret-of-the-receiver");
    return subscription;
  }

  private Subscription create(String token, Subscription subscription) {
    MethodOutcome outcome = api.fhir(token).create().resource(subscription).execute();
    assertThat(outcome.getCreated()).isTrue();
    return api.fhir(token)
        .read()
        .resource(Subscription.class)
        .withId(outcome.getId().getIdPart())
        .execute();
  }

  private long ingest(double heartRate) {
    long sent = System.nanoTime();
    HttpResponse<String> response =
        api.postJson(
            "/api/v1/ingest/" + DEVICE,
            deviceToken,
            "{\"time\":\""
                + Instant.now()
                + "\",\"measurements\":[{\"code\":\"8867-4\",\"value\":"
                + heartRate
                + ",\"unit\":\"/min\"}]}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return sent;
  }

  private static boolean isHeartRate(Received r, double value) {
    Observation o = FHIR.newJsonParser().parseResource(Observation.class, r.body());
    return o.getSubject().getReference().equals("Patient/" + PATIENT)
        && o.getValueQuantity().getValue().doubleValue() == value;
  }

  @Test
  void aRestHookGetsTheReadingWithinASecondOfIngest() throws InterruptedException {
    Subscription made =
        create(
            system,
            restHook(
                "Observation?patient=" + PATIENT + "&code=http://loinc.org|8867-4", hook("obs")));
    assertThat(made.getStatus()).isEqualTo(Subscription.SubscriptionStatus.ACTIVE);
    Received handshake = received("obs").poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(handshake).isNotNull();
    assertThat(handshake.event()).isEqualTo("handshake");
    assertThat(handshake.authorization()).isEqualTo("Bearer secret-of-the-receiver");

    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      double value = 60 + i;
      long sent = ingest(value);
      Received r = next("obs", n -> isHeartRate(n, value));
      latencies.add(TimeUnit.NANOSECONDS.toMillis(r.at() - sent));
      assertThat(r.contentType()).startsWith("application/fhir+json");
      assertThat(r.authorization()).isEqualTo("Bearer secret-of-the-receiver");
    }
    System.out.printf(
        "Subscription rest-hook delivery, HTTP ingest POST sent to Observation received (ms): %s%n",
        latencies);
    assertThat(latencies).allSatisfy(ms -> assertThat(ms).isLessThan(1000));
  }

  @Test
  void flagActiveFiresWhenAnAlarmIsRaised() throws InterruptedException {
    Subscription made = create(system, restHook("Flag?status=active", hook("flags")));
    assertThat(made.getStatus()).isEqualTo(Subscription.SubscriptionStatus.ACTIVE);
    long raised = System.nanoTime();
    long id =
        alarms.raise(PATIENT, "subs-test", AlarmPriority.HIGH, "Subscription test alarm").id();
    Received r =
        next(
            "flags",
            n ->
                FHIR.newJsonParser()
                    .parseResource(Flag.class, n.body())
                    .getIdElement()
                    .getIdPart()
                    .equals(Long.toString(id)));
    Flag flag = FHIR.newJsonParser().parseResource(Flag.class, r.body());
    assertThat(flag.getStatus()).isEqualTo(Flag.FlagStatus.ACTIVE);
    assertThat(flag.getSubject().getReference()).isEqualTo("Patient/" + PATIENT);
    long ms = TimeUnit.NANOSECONDS.toMillis(r.at() - raised);
    System.out.printf(
        "Subscription rest-hook delivery, alarm raised to Flag received: %d ms%n", ms);
    assertThat(ms).isLessThan(1000);
  }

  @Test
  void anotherWardsNurseGetsNothingAndOneOnTheWardGetsTheReading() throws InterruptedException {
    String criteria = "Observation?code=8867-4";
    assertThat(create(nurseElsewhere, restHook(criteria, hook("nurse-9s"))).getStatus())
        .isEqualTo(Subscription.SubscriptionStatus.ACTIVE);
    assertThat(create(nurseHere, restHook(criteria, hook("nurse-7b"))).getStatus())
        .isEqualTo(Subscription.SubscriptionStatus.ACTIVE);
    // and she may not name a patient she may not see
    HttpResponse<String> naming =
        api.post(
            "/fhir/Subscription",
            nurseElsewhere,
            "application/fhir+json",
            FHIR.newJsonParser()
                .encodeResourceToString(
                    restHook("Observation?patient=" + PATIENT, hook("nurse-9s"))));
    assertThat(naming.statusCode()).isEqualTo(403);

    ingest(77);
    next("nurse-7b", n -> isHeartRate(n, 77));
    // the same match was there for the other ward's nurse and was withheld; nothing arrives late
    Thread.sleep(500);
    assertThat(received("nurse-9s")).allSatisfy(r -> assertThat(r.event()).isEqualTo("handshake"));
  }

  @Test
  void aWebsocketBoundToItsOwnSubscriptionIsPingedOnAMatch() throws Exception {
    Subscription websocket = new Subscription();
    websocket.setStatus(Subscription.SubscriptionStatus.REQUESTED);
    websocket.setReason("test");
    websocket.setCriteria("Observation?patient=" + PATIENT);
    websocket.getChannel().setType(Subscription.SubscriptionChannelType.WEBSOCKET);
    Subscription made = create(system, websocket);
    assertThat(made.getStatus()).isEqualTo(Subscription.SubscriptionStatus.ACTIVE);
    String id = made.getIdElement().getIdPart();
    URI url = URI.create("ws://127.0.0.1:" + port + "/fhir/websocket");

    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    WebSocket socket = connect(url, system, messages).join();
    socket.sendText("bind " + id, true).join();
    assertThat(messages.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("bound " + id);

    long sent = ingest(91);
    String ping = null;
    for (long deadline = System.nanoTime() + PATIENCE.toNanos();
        System.nanoTime() < deadline && !("ping " + id).equals(ping); ) {
      ping = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
    assertThat(ping).isEqualTo("ping " + id);
    System.out.printf(
        "Subscription websocket, HTTP ingest POST sent to ping received: %d ms%n", ms);
    assertThat(ms).isLessThan(1000);

    // only the owner binds: to another, the subscription does not exist
    BlockingQueue<String> hers = new LinkedBlockingQueue<>();
    WebSocket nurses = connect(url, nurseHere, hers).join();
    nurses.sendText("bind " + id, true).join();
    assertThat(hers.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS))
        .isEqualTo("error no active Subscription/" + id + " of yours");
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    nurses.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();

    // and without a token there is no socket at all: the handshake is refused as unauthenticated
    assertThatThrownBy(() -> connect(url, null, new LinkedBlockingQueue<>()).join())
        .hasCauseInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e ->
            assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                .isEqualTo(401));
  }

  private static CompletionStage<WebSocket> connectStage(
      URI url, String token, BlockingQueue<String> messages) {
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
    builder.connectTimeout(PATIENCE);
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder.buildAsync(
        url,
        new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
              messages.add(text.toString());
              text.setLength(0);
            }
            socket.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            messages.add("closed " + status + " " + reason);
            return null;
          }
        });
  }

  private static java.util.concurrent.CompletableFuture<WebSocket> connect(
      URI url, String token, BlockingQueue<String> messages) {
    return connectStage(url, token, messages).toCompletableFuture();
  }

  @Test
  void criteriaVigilCannotMatchAreRefusedNamingTheProblem() {
    Map<String, String> refusals =
        Map.of(
            "Patient?name=Smith", "subscribe to Observation or Flag",
            "Observation?value-quantity=gt100", "value-quantity is not supported on Observation",
            "Flag?status=pending", "active or inactive",
            "Observation?patient=Device/x", "must be a Patient",
            "", "criteria is required");
    refusals.forEach((criteria, problem) -> {
      HttpResponse<String> response =
          api.post(
              "/fhir/Subscription",
              system,
              "application/fhir+json",
              FHIR.newJsonParser().encodeResourceToString(restHook(criteria, hook("never"))));
      assertThat(response.statusCode()).as(criteria).isEqualTo(422);
      assertThat(response.body()).as(criteria).contains("OperationOutcome").contains(problem);
    });
    Subscription email = restHook("Flag?status=active", hook("never"));
    email.getChannel().setType(Subscription.SubscriptionChannelType.EMAIL);
    HttpResponse<String> response =
        api.post(
            "/fhir/Subscription",
            system,
            "application/fhir+json",
            FHIR.newJsonParser().encodeResourceToString(email));
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.body()).contains("use rest-hook or websocket");
  }

  @Test
  void aRestHookToAnEndpointNotAllowedIsRefused() {
    for (String endpoint :
        List.of(
            "http://169.254.169.254/latest/meta-data/",
            "http://127.0.0.1:" + port + "/api/v1/alarms",
            "http://user:pw@127.0.0.1:9/hook/x")) {
      HttpResponse<String> response =
          api.post(
              "/fhir/Subscription",
              system,
              "application/fhir+json",
              FHIR.newJsonParser()
                  .encodeResourceToString(restHook("Flag?status=active", endpoint)));
      assertThat(response.statusCode()).as(endpoint).isEqualTo(422);
      assertThat(response.body()).as(endpoint).contains("OperationOutcome").contains("endpoint");
    }
  }

  @Test
  void aRestHookWhoseEndpointMissesTheHandshakeIsInErrorWithTheReason() {
    Subscription made =
        create(system, restHook("Flag?status=active", "http://127.0.0.1:9/hook/nobody"));
    assertThat(made.getStatus()).isEqualTo(Subscription.SubscriptionStatus.ERROR);
    assertThat(made.getError()).startsWith("handshake failed: ").contains("could not be reached");
  }

  @Test
  void aRestHookThatKeepsFailingGoesToErrorWithTheReason() throws InterruptedException {
    Subscription made = create(system, restHook("Observation?patient=" + PATIENT, hook("failing")));
    assertThat(made.getStatus()).isEqualTo(Subscription.SubscriptionStatus.ACTIVE);
    ingest(55);
    Subscription now = made;
    for (long deadline = System.nanoTime() + PATIENCE.toNanos();
        System.nanoTime() < deadline
            && now.getStatus() != Subscription.SubscriptionStatus.ERROR; ) {
      Thread.sleep(200);
      now =
          api.fhir(system)
              .read()
              .resource(Subscription.class)
              .withId(made.getIdElement().getIdPart())
              .execute();
    }
    assertThat(now.getStatus()).isEqualTo(Subscription.SubscriptionStatus.ERROR);
    assertThat(now.getError()).contains("failed 5 times").contains("HTTP 500");
  }

  @Test
  void anUpdatePutsASubscriptionInErrorRightPausesItAndStartsItAgain() throws Exception {
    Subscription made =
        create(system, restHook("Observation?patient=" + PATIENT, "http://127.0.0.1:9/hook/gone"));
    assertThat(made.getStatus()).isEqualTo(Subscription.SubscriptionStatus.ERROR);
    String id = made.getIdElement().getIdPart();
    IGenericClient ehr = api.fhir(system);

    // the integrator fixes the endpoint: a fresh handshake, and it delivers
    made.getChannel().setEndpoint(hook("mended"));
    made.setStatus(Subscription.SubscriptionStatus.REQUESTED);
    MethodOutcome fixed = ehr.update().resource(made).withId(id).execute();
    assertThat(fixed.getCreated()).isNotEqualTo(Boolean.TRUE);
    Subscription now = ehr.read().resource(Subscription.class).withId(id).execute();
    assertThat(now.getStatus()).isEqualTo(Subscription.SubscriptionStatus.ACTIVE);
    assertThat(now.hasError()).isFalse();
    assertThat(received("mended").poll(PATIENCE.toSeconds(), TimeUnit.SECONDS).event())
        .isEqualTo("handshake");
    ingest(47);
    next("mended", n -> isHeartRate(n, 47));

    // off: nothing is delivered while it is paused
    now.setStatus(Subscription.SubscriptionStatus.OFF);
    ehr.update().resource(now).withId(id).execute();
    assertThat(ehr.read().resource(Subscription.class).withId(id).execute().getStatus())
        .isEqualTo(Subscription.SubscriptionStatus.OFF);
    ingest(48);
    Thread.sleep(1500);
    assertThat(
            received("mended").stream()
                .filter(r -> "notification".equals(r.event()))
                .noneMatch(r -> isHeartRate(r, 48)))
        .isTrue();

    // a status a client cannot set, and someone else's subscription
    now.setStatus(Subscription.SubscriptionStatus.ERROR);
    HttpResponse<String> error =
        api.put(
            "/fhir/Subscription/" + id,
            system,
            "application/fhir+json",
            FHIR.newJsonParser().encodeResourceToString(now));
    assertThat(error.statusCode()).isEqualTo(422);
    assertThat(error.body()).contains("Subscription.status");
    now.setStatus(Subscription.SubscriptionStatus.REQUESTED);
    HttpResponse<String> notHers =
        api.put(
            "/fhir/Subscription/" + id,
            nurseHere,
            "application/fhir+json",
            FHIR.newJsonParser().encodeResourceToString(now));
    assertThat(notHers.statusCode()).as(notHers.body()).isIn(403, 404);
    assertThat(notHers.body()).doesNotContain("mended");
  }

  @Test
  void onlyTheOwnerSeesSearchesAndDeletesASubscription() {
    Subscription made = create(system, restHook("Flag?patient=" + PATIENT, hook("owned")));
    String id = made.getIdElement().getIdPart();
    IGenericClient ehr = api.fhir(system);
    Bundle active =
        ehr.search()
            .forResource(Subscription.class)
            .where(Subscription.STATUS.exactly().code("active"))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(active.getEntry())
        .extracting(e -> e.getResource().getIdElement().getIdPart())
        .contains(id);
    assertThat(api.get("/fhir/Subscription/" + id, nurseHere).statusCode()).isEqualTo(404);
    assertThat(api.delete("/fhir/Subscription/" + id, nurseHere).statusCode()).isEqualTo(404);
    Bundle hers =
        FHIR.newJsonParser()
            .parseResource(Bundle.class, api.get("/fhir/Subscription", nurseHere).body());
    assertThat(hers.getEntry())
        .extracting(e -> e.getResource().getIdElement().getIdPart())
        .doesNotContain(id);

    assertThat(api.delete("/fhir/Subscription/" + id, system).statusCode()).isIn(200, 204);
    assertThat(api.get("/fhir/Subscription/" + id, system).statusCode()).isEqualTo(404);
  }

  @Test
  void theCapabilityStatementListsSubscriptionsAndTheWebsocket() {
    org.hl7.fhir.r4.model.CapabilityStatement capabilities =
        api.fhir(system)
            .capabilities()
            .ofType(org.hl7.fhir.r4.model.CapabilityStatement.class)
            .execute();
    var rest = capabilities.getRestFirstRep();
    assertThat(
            rest.getResource().stream()
                .filter(r -> r.getType().equals("Subscription"))
                .flatMap(r -> r.getInteraction().stream())
                .map(i -> i.getCode().toCode()))
        .containsExactlyInAnyOrder("create", "read", "update", "search-type", "delete");
    assertThat(
            rest.getExtensionByUrl(SubscriptionCapabilities.WEBSOCKET_EXTENSION)
                .getValue()
                .primitiveValue())
        .isEqualTo(api.base().toString().replaceFirst("^http", "ws") + "/fhir/websocket");
  }
}
