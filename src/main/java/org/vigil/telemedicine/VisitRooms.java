package org.vigil.telemedicine;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.vigil.audit.AuditAgent;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;
import org.vigil.log.IngestLog;
import org.vigil.measurement.Measurement;
import org.vigil.security.PatientAccess;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The signalling server of video visits: one room per appointment, with at most its two
 * participants in it, each over one websocket. Vigil relays what WebRTC needs — offers, answers,
 * ICE candidates — and never the media, which goes from browser to browser. The patient waits in
 * the waiting room until the clinician admits them; then the clinician's browser makes the offer.
 * Every frame is checked — size, type, who may send it — and a bad one answered with an {@code
 * error} frame, without ending the call. A participant whose connection drops comes back with the
 * rejoin link they were given, on a new socket, and the call is negotiated again.
 *
 * <p>The rooms live in this node's memory: both participants of one visit must reach the same node
 * (a load balancer's sticky sessions on the visit's path).
 */
@Component
public class VisitRooms {

  /** Frames larger than this are refused: an SDP offer with every codec is some 10 KiB. */
  static final int MAX_FRAME = 64 * 1024;

  static final int MAX_CHAT = 2000;

  /** The consumer group of the readings shown during visits. */
  static final String GROUP = "telemedicine";

  private static final Logger log = LoggerFactory.getLogger(VisitRooms.class);

  enum Side {
    CLINICIAN,
    PATIENT;

    String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    Side other() {
      return this == CLINICIAN ? PATIENT : CLINICIAN;
    }
  }

  /** One visit's room: who is connected, and whether the patient has been admitted. */
  static final class Room {
    final String appointmentId;
    final String patientId;
    final Map<Side, Session> sessions = new EnumMap<>(Side.class);
    final Map<Side, String> usernames = new EnumMap<>(Side.class);
    boolean admitted;
    String encounterId;

    Room(String appointmentId, String patientId) {
      this.appointmentId = appointmentId;
      this.patientId = patientId;
    }
  }

  /** Who is on one socket, once it has joined. */
  record Member(String appointmentId, Side side, String username, Optional<String> client) {}

  private static final Set<String> TYPES =
      Set.of(
          "join", "admit", "offer", "answer", "candidate", "chat", "leave", "end", "take-reading");

  private final Map<String, Room> rooms = new ConcurrentHashMap<>();
  private final Appointments appointments;
  private final JoinLinks links;
  private final VisitEncounters encounters;
  private final ReadingRequests readings;
  private final PatientAccess access;
  private final AuditTrail audit;
  private final TelemedicineProperties settings;
  private final JsonMapper json = JsonMapper.builder().build();

  VisitRooms(
      Appointments appointments,
      JoinLinks links,
      VisitEncounters encounters,
      ReadingRequests readings,
      PatientAccess access,
      AuditTrail audit,
      TelemedicineProperties settings,
      IngestLog ingest) {
    this.appointments = appointments;
    this.links = links;
    this.encounters = encounters;
    this.readings = readings;
    this.access = access;
    this.audit = audit;
    this.settings = settings;
    ingest.subscribe(GROUP, this::take);
  }

  /** A frame from a socket: its member (none before it joined) and the text. */
  Optional<Member> receive(
      Session session, Optional<Member> member, String text, Authenticator authenticator) {
    if (text.length() > MAX_FRAME) {
      error(session, "too-large", "a frame is at most " + MAX_FRAME + " characters");
      return member;
    }
    JsonNode frame;
    try {
      frame = json.readTree(text);
    } catch (JacksonException e) {
      error(session, "malformed", "a frame is one JSON object");
      return member;
    }
    if (frame == null || !frame.isObject() || !frame.path("type").isString()) {
      error(session, "malformed", "a frame is a JSON object with a \"type\"");
      return member;
    }
    String type = frame.path("type").asString();
    if (!TYPES.contains(type)) {
      error(session, "unknown-type", "no frame of type " + clip(type) + " is known");
      return member;
    }
    if (member.isEmpty()) {
      if (!type.equals("join")) {
        refuse(session, "not-joined", "send join first, with your access token and link");
        return Optional.empty();
      }
      return join(session, frame, authenticator);
    }
    if (type.equals("join")) {
      error(session, "joined-already", "this connection has joined the visit already");
      return member;
    }
    handle(session, member.get(), type, frame);
    return member;
  }

  /** Turns an access token into the person it was issued to, or nobody. */
  interface Authenticator {
    Optional<org.springframework.security.core.Authentication> authenticate(String accessToken);
  }

  private Optional<Member> join(Session session, JsonNode frame, Authenticator authenticator) {
    String token = frame.path("accessToken").asString("");
    String link = frame.path("link").asString("");
    var caller =
        token.isEmpty()
            ? Optional.<org.springframework.security.core.Authentication>empty()
            : authenticator.authenticate(token);
    if (caller.isEmpty()) {
      auditAnonymous("join visit", "no valid access token");
      refuse(session, "unauthenticated", "a valid access token is required to join a visit");
      return Optional.empty();
    }
    Optional<VisitCaller> person = VisitCaller.of(caller.get(), access);
    AuditAgent agent = agentOf(caller.get());
    if (person.isEmpty()) {
      record(
          agent,
          "E",
          AuditEntry.MINOR_FAILURE,
          Set.of(),
          "join visit",
          Optional.of("not a patient, nurse or clinician"));
      refuse(session, "not-participant", "only the visit's patient and clinician join it");
      return Optional.empty();
    }
    JoinLinks.Redeemed redeemed = links.redeem(link, person.get().username());
    if (redeemed.refusal().isPresent()) {
      record(
          agent,
          "E",
          AuditEntry.MINOR_FAILURE,
          Set.of(),
          "join visit",
          Optional.of(redeemed.refusal().get().reason()));
      refuse(
          session,
          "link-"
              + redeemed
                  .refusal()
                  .get()
                  .name()
                  .toLowerCase(java.util.Locale.ROOT)
                  .replace('_', '-'),
          redeemed.refusal().get().reason());
      return Optional.empty();
    }
    String appointmentId = redeemed.appointmentId().orElseThrow();
    Optional<Appointment> appointment = appointments.find(appointmentId);
    if (appointment.isEmpty() || !appointment.get().hasParticipant(person.get())) {
      record(
          agent,
          "E",
          AuditEntry.MINOR_FAILURE,
          appointment.map(a -> Set.of(a.patientId())).orElse(Set.of()),
          "join visit " + appointmentId,
          Optional.of("not a participant"));
      refuse(session, "not-participant", "only the visit's patient and clinician join it");
      return Optional.empty();
    }
    if (!appointment.get().open()) {
      record(
          agent,
          "E",
          AuditEntry.MINOR_FAILURE,
          Set.of(appointment.get().patientId()),
          "join visit " + appointmentId,
          Optional.of("visit " + appointment.get().status().code()));
      refuse(session, "visit-closed", "the visit is " + appointment.get().status().code());
      return Optional.empty();
    }
    Side side = person.get().isStaff() ? Side.CLINICIAN : Side.PATIENT;
    Member member = new Member(appointmentId, side, person.get().username(), agent.client());
    Room room =
        rooms.computeIfAbsent(appointmentId, id -> new Room(id, appointment.get().patientId()));
    Session replaced;
    boolean admitted;
    synchronized (room) {
      replaced = room.sessions.put(side, session);
      room.usernames.put(side, member.username());
      admitted = room.admitted;
    }
    if (replaced != null && replaced != session) {
      close(replaced, CloseReason.CloseCodes.NORMAL_CLOSURE, "joined again on another connection");
    }
    JoinLinks.Issued rejoin = links.issueRejoin(appointmentId, member.username());
    ObjectNode joined = frame("joined");
    joined.put("side", side.code());
    joined.put("appointment", appointmentId);
    joined.put("patient", appointment.get().patientId());
    joined.put("admitted", admitted);
    joined.put("rejoin", rejoin.link());
    joined.put("rejoinExpiresAt", rejoin.expiresAt().toString());
    joined.set("iceServers", json.valueToTree(settings.browserIceServers()));
    send(session, joined);
    record(
        agent,
        "E",
        AuditEntry.SUCCESS,
        Set.of(appointment.get().patientId()),
        "join visit "
            + appointmentId
            + " as "
            + side.code()
            + (replaced != null ? " (rejoin)" : ""),
        Optional.empty());
    if (side == Side.PATIENT) {
      if (admitted) {
        // back after a blip: the clinician's browser makes a fresh offer
        toSide(room, Side.CLINICIAN, frame("peer-rejoined"));
      } else {
        send(session, frame("waiting"));
        toSide(room, Side.CLINICIAN, frame("patient-waiting"));
      }
    } else {
      boolean patientHere;
      synchronized (room) {
        patientHere = room.sessions.containsKey(Side.PATIENT);
      }
      if (admitted && patientHere) {
        send(session, frame("peer-rejoined"));
      } else if (patientHere) {
        send(session, frame("patient-waiting"));
      }
    }
    return Optional.of(member);
  }

  private void handle(Session session, Member member, String type, JsonNode frame) {
    Room room = rooms.get(member.appointmentId());
    if (room == null) {
      error(session, "visit-closed", "the visit has ended");
      return;
    }
    boolean admitted;
    synchronized (room) {
      if (room.sessions.get(member.side()) != session) {
        error(session, "replaced", "you joined again on another connection");
        return;
      }
      admitted = room.admitted;
    }
    switch (type) {
      case "admit" -> admit(session, room, member);
      case "offer", "answer" -> {
        if (!admitted) {
          error(session, "not-admitted", "the call starts once the clinician admits the patient");
          return;
        }
        if (type.equals("offer") != (member.side() == Side.CLINICIAN)) {
          error(session, "wrong-side", "the clinician offers, the patient answers");
          return;
        }
        JsonNode sdp = frame.path("sdp");
        if (!sdp.isObject()
            || !sdp.path("type").asString("").equals(type)
            || !sdp.path("sdp").isString()) {
          error(
              session,
              "invalid-" + type,
              type + ".sdp is {\"type\": \"" + type + "\", \"sdp\": …}");
          return;
        }
        ObjectNode relay = frame(type);
        relay.set("sdp", sdp);
        relay(room, member, relay, session);
      }
      case "candidate" -> {
        if (!admitted) {
          error(session, "not-admitted", "the call starts once the clinician admits the patient");
          return;
        }
        JsonNode candidate = frame.path("candidate");
        if (!candidate.isObject() || !candidate.path("candidate").isString()) {
          error(session, "invalid-candidate", "candidate is an RTCIceCandidateInit object");
          return;
        }
        ObjectNode relay = frame("candidate");
        relay.set("candidate", candidate);
        relay(room, member, relay, session);
      }
      case "chat" -> {
        String text = frame.path("text").asString("").strip();
        if (text.isEmpty() || text.length() > MAX_CHAT) {
          error(session, "invalid-chat", "chat text is 1 to " + MAX_CHAT + " characters");
          return;
        }
        ObjectNode chat = frame("chat");
        chat.put("from", member.side().code());
        chat.put("text", text);
        chat.put("at", Instant.now().toString());
        toSide(room, Side.CLINICIAN, chat);
        toSide(room, Side.PATIENT, chat);
        // what was said stays between the two; the trail records that something was
        record(
            agentOf(member),
            "E",
            AuditEntry.SUCCESS,
            Set.of(room.patientId),
            "chat in visit " + room.appointmentId,
            Optional.empty());
      }
      case "take-reading" -> {
        if (member.side() != Side.CLINICIAN) {
          error(session, "wrong-side", "the clinician asks for a reading");
          return;
        }
        Appointment appointment = appointments.find(room.appointmentId).orElseThrow();
        ReadingRequests.Asked asked = readings.ask(appointment);
        ObjectNode requested = frame("reading-requested");
        requested.put("via", asked.via());
        requested.put("devices", asked.devices());
        toSide(room, Side.CLINICIAN, requested);
        toSide(room, Side.PATIENT, requested);
        record(
            agentOf(member),
            "E",
            AuditEntry.SUCCESS,
            Set.of(room.patientId),
            "ask for a reading now in visit " + room.appointmentId + " via " + asked.via(),
            Optional.empty());
      }
      case "leave" -> leave(session, member);
      case "end" -> end(session, room, member, frame);
      default -> error(session, "unknown-type", "no frame of type " + type + " is known");
    }
  }

  private void admit(Session session, Room room, Member member) {
    if (member.side() != Side.CLINICIAN) {
      error(session, "wrong-side", "the clinician admits the patient");
      return;
    }
    synchronized (room) {
      if (!room.sessions.containsKey(Side.PATIENT)) {
        error(session, "nobody-waiting", "the patient is not in the waiting room");
        return;
      }
      if (room.admitted) {
        error(session, "admitted-already", "the patient is in the call already");
        return;
      }
      room.admitted = true;
    }
    Appointment appointment = appointments.find(room.appointmentId).orElseThrow();
    VisitEncounter encounter = encounters.open(appointment);
    appointments.setStatus(appointment.id(), Appointment.Status.ARRIVED);
    synchronized (room) {
      room.encounterId = encounter.id();
    }
    ObjectNode admitted = frame("admitted");
    admitted.put("encounter", encounter.id());
    toSide(room, Side.PATIENT, admitted);
    toSide(room, Side.CLINICIAN, admitted);
    record(
        agentOf(member),
        "U",
        AuditEntry.SUCCESS,
        Set.of(room.patientId),
        "admit patient to visit " + room.appointmentId + ", encounter " + encounter.id(),
        Optional.empty());
  }

  private void end(Session session, Room room, Member member, JsonNode frame) {
    if (member.side() != Side.CLINICIAN) {
      error(session, "wrong-side", "the clinician ends the visit; leave to go");
      return;
    }
    JsonNode noteNode = frame.path("note");
    if (!noteNode.isMissingNode() && !noteNode.isNull() && !noteNode.isString()) {
      error(session, "invalid-note", "note is text");
      return;
    }
    String note = noteNode.asString("").strip();
    if (note.length() > VisitEncounters.MAX_NOTE) {
      error(
          session, "invalid-note", "a note is at most " + VisitEncounters.MAX_NOTE + " characters");
      return;
    }
    String encounterId;
    synchronized (room) {
      encounterId = room.encounterId;
    }
    Optional<VisitEncounter> finished = Optional.empty();
    if (encounterId != null) {
      finished =
          Optional.of(
              encounters.finish(
                  encounterId, note.isEmpty() ? Optional.empty() : Optional.of(note)));
      appointments.setStatus(room.appointmentId, Appointment.Status.FULFILLED);
    } else if (!note.isEmpty()) {
      error(
          session,
          "not-admitted",
          "a visit that never started has no note; admit the patient first or end without one");
      return;
    }
    ObjectNode ended = frame("ended");
    finished.ifPresent(e -> ended.put("encounter", e.id()));
    rooms.remove(room.appointmentId);
    record(
        agentOf(member),
        "U",
        AuditEntry.SUCCESS,
        Set.of(room.patientId),
        "end visit "
            + room.appointmentId
            + finished
                .map(e -> ", encounter " + e.id() + (e.note().isPresent() ? " with note" : ""))
                .orElse(" before it started"),
        Optional.empty());
    List<Session> both;
    synchronized (room) {
      both = List.copyOf(room.sessions.values());
      room.sessions.clear();
    }
    for (Session s : both) {
      send(s, ended);
      close(s, CloseReason.CloseCodes.NORMAL_CLOSURE, "the visit has ended");
    }
  }

  /** A participant leaves (or their connection went): the other is told; the visit goes on. */
  void leave(Session session, Member member) {
    Room room = rooms.get(member.appointmentId());
    if (room == null) {
      return;
    }
    boolean was;
    synchronized (room) {
      was = room.sessions.remove(member.side(), session);
    }
    if (was) {
      toSide(room, member.side().other(), frame("peer-left"));
      record(
          agentOf(member),
          "E",
          AuditEntry.SUCCESS,
          Set.of(room.patientId),
          "leave visit " + room.appointmentId + " as " + member.side().code(),
          Optional.empty());
    }
  }

  private void take(List<Measurement> batch) {
    if (rooms.isEmpty()) {
      return;
    }
    for (Room room : rooms.values()) {
      boolean admitted;
      synchronized (room) {
        admitted = room.admitted;
      }
      if (!admitted) {
        continue;
      }
      for (Measurement m : batch) {
        if (!m.patientId().equals(room.patientId)) {
          continue;
        }
        ObjectNode reading = frame("reading");
        reading.put("code", m.code());
        reading.put("value", m.value());
        reading.put("unit", m.unit());
        reading.put("at", m.effectiveAt().toString());
        reading.put("device", m.deviceId());
        toSide(room, Side.CLINICIAN, reading);
        toSide(room, Side.PATIENT, reading);
      }
    }
  }

  private void relay(Room room, Member from, ObjectNode frame, Session session) {
    if (!toSide(room, from.side().other(), frame)) {
      error(
          session,
          "peer-absent",
          "the other participant is not connected; it is sent again when they are back");
    }
  }

  /** Sends to the participant on that side, if they are connected; whether they were. */
  private boolean toSide(Room room, Side side, ObjectNode frame) {
    Session target;
    synchronized (room) {
      target = room.sessions.get(side);
    }
    if (target == null) {
      return false;
    }
    send(target, frame);
    return true;
  }

  private ObjectNode frame(String type) {
    ObjectNode frame = json.createObjectNode();
    frame.put("type", type);
    return frame;
  }

  private void error(Session session, String code, String reason) {
    ObjectNode error = frame("error");
    error.put("code", code);
    error.put("reason", reason);
    send(session, error);
  }

  /** Answers why and closes: the socket never joined, and will not. */
  private void refuse(Session session, String code, String reason) {
    error(session, code, reason);
    close(session, CloseReason.CloseCodes.VIOLATED_POLICY, code);
  }

  private void send(Session session, ObjectNode frame) {
    String text = json.writeValueAsString(frame);
    synchronized (session) {
      if (!session.isOpen()) {
        return;
      }
      try {
        session.getBasicRemote().sendText(text);
      } catch (IOException | IllegalStateException e) {
        log.debug("a visit socket went away while sending", e);
      }
    }
  }

  private static void close(Session session, CloseReason.CloseCode code, String why) {
    try {
      session.close(new CloseReason(code, why));
    } catch (IOException e) {
      // it is gone either way
    }
  }

  private static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }

  private static AuditAgent agentOf(org.springframework.security.core.Authentication caller) {
    Optional<String> client = Optional.empty();
    if (caller
        instanceof
        org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken
            jwt) {
      client = Optional.ofNullable(jwt.getToken().getClaimAsString("client_id"));
    }
    return new AuditAgent("user", caller.getName(), client, Optional.empty());
  }

  private static AuditAgent agentOf(Member member) {
    return new AuditAgent("user", member.username(), member.client(), Optional.empty());
  }

  private void auditAnonymous(String what, String why) {
    record(
        new AuditAgent("anonymous", "anonymous", Optional.empty(), Optional.empty()),
        "E",
        AuditEntry.MINOR_FAILURE,
        Set.of(),
        what,
        Optional.of(why));
  }

  private void record(
      AuditAgent agent,
      String action,
      int outcome,
      Set<String> patients,
      String what,
      Optional<String> detail) {
    audit.record(new AuditEntry("visit", action, outcome, agent, patients, what, detail));
  }
}
