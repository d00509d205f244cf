package org.vigil.simulate;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a scenario against a Vigil over the wire, in simulated time.
 *
 * <p>The simulated clock starts at {@link Settings#start} and runs {@link Settings#speed} times as
 * fast as the wall clock. Time is cut into windows of {@code speed} simulated seconds (one wall
 * second each, one simulated second at real speed); once a window has passed on the simulated
 * clock, every device sends its readings of that window, dated when they were taken — as many
 * messages as {@link Settings#maxReadingsPerMessage} requires. Windows, readings and faults depend
 * only on the scenario, the seed and the speed, never on how fast the wall clock ticked, so a run
 * is reproducible.
 *
 * <p>Each device has its own outbox and a virtual thread that sends its messages in order; at most
 * {@link Settings#concurrency} messages are in flight at once, and generation pauses while the
 * outboxes hold too many (the simulated clock then falls behind, never ahead).
 */
public final class Simulation implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Simulation.class);
  private static final Duration TICK = Duration.ofMillis(100);
  private static final int MAX_WINDOWS_PER_TICK = 20;

  /**
   * How to play.
   *
   * @param start the simulated clock's start: the first reading's date
   * @param speed simulated seconds per wall second
   * @param seed overrides the scenario's seed when present
   * @param intervals how often devices report each vital (by vital name), over the scenario's
   * @param maxReadingsPerMessage Vigil's limit ({@code vigil.ingest.max-readings-per-message})
   * @param concurrency messages in flight at once, over all devices
   */
  public record Settings(
      Instant start,
      double speed,
      Optional<Long> seed,
      Map<String, Duration> intervals,
      int maxReadingsPerMessage,
      int concurrency) {
    public Settings {
      if (!(speed > 0) || Double.isInfinite(speed)) {
        throw new IllegalArgumentException("--speed: must be a positive number");
      }
      if (maxReadingsPerMessage < 1) {
        throw new IllegalArgumentException("--max-readings-per-message: must be positive");
      }
      if (concurrency < 1) {
        throw new IllegalArgumentException("--concurrency: must be positive");
      }
      intervals = Map.copyOf(intervals);
      for (var interval : intervals.entrySet()) {
        if (Vital.byName(interval.getKey()).isEmpty()) {
          throw new IllegalArgumentException(
              "--interval " + interval.getKey() + ": no such vital; known: " + Vital.names());
        }
        if (interval.getValue().compareTo(Duration.ofMillis(100)) < 0) {
          throw new IllegalArgumentException(
              "--interval " + interval.getKey() + ": must be at least 100 ms");
        }
      }
    }
  }

  private final Scenario scenario;
  private final List<PlayedDevice> devices;
  private final Settings settings;
  private final long seed;
  private final Instant start;
  private final Instant end;
  private final long windowMillis;
  private final Map<Vital, Long> intervalMillis = new EnumMap<>(Vital.class);
  private final Map<Transport, Sender> senders;
  private final List<PatientRun> patients = new ArrayList<>();
  private final Summary.Tally tally = new Summary.Tally();
  private final AtomicInteger queued = new AtomicInteger();
  private final int maxQueued;
  private final Semaphore inFlight;
  private final CountDownLatch generated = new CountDownLatch(1);
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("simulator-clock").daemon().factory());
  private final List<Thread> outboxThreads = new ArrayList<>();
  private volatile long wallStart;
  private volatile long wallEnd;

  Simulation(
      Scenario scenario,
      List<PlayedDevice> devices,
      Settings settings,
      Map<Transport, Sender> senders) {
    this.scenario = scenario;
    this.devices = List.copyOf(devices);
    this.settings = settings;
    this.seed = settings.seed().orElse(scenario.seed());
    this.start = settings.start();
    this.end = start.plus(scenario.duration());
    this.windowMillis = Math.max(1000, Math.round(settings.speed() * 1000));
    this.senders = Map.copyOf(senders);
    for (PlayedDevice device : devices) {
      if (device.transport() == Transport.GATT && !GattPayload.speaks(device.device().kind())) {
        throw new IllegalArgumentException(
            "device "
                + device.id()
                + " is a "
                + device.device().kind().type()
                + ", which has no Bluetooth GATT characteristic for all it measures");
      }
      if (!senders.containsKey(device.transport())) {
        throw new IllegalArgumentException(
            "device "
                + device.id()
                + " talks "
                + device.transport().label()
                + ", but no "
                + switch (device.transport()) {
                  case HTTP -> "--target";
                  case MQTT, GATT -> "--mqtt";
                  case MLLP -> "--mllp";
                }
                + " was given");
      }
    }
    for (Vital vital : Vital.values()) {
      Duration interval =
          Optional.ofNullable(settings.intervals().get(vital.jsonName()))
              .orElse(scenario.interval(vital));
      intervalMillis.put(vital, interval.toMillis());
    }
    // A few messages a device: enough to keep every connection busy, few enough that the
    // simulated clock waits for a slow server rather than running away from it.
    this.maxQueued = Math.max(64, devices.size() * 4);
    this.inFlight = new Semaphore(settings.concurrency());
    int index = 0;
    for (Scenario.Patient patient : scenario.patients()) {
      List<DeviceRun> runs = new ArrayList<>();
      for (PlayedDevice device : devices) {
        if (device.device().patientId().equals(patient.id())) {
          runs.add(
              new DeviceRun(
                  device,
                  seed ^ mix(device.id().hashCode() + 31L * index++),
                  dispensingOf(patient, device)));
        }
      }
      long patientSeed =
          patient.seed() != null ? patient.seed() : seed ^ mix(patient.id().hashCode());
      List<Scenario.Episode> episodes =
          scenario.episodes().stream().filter(e -> e.patient().equals(patient.id())).toList();
      patients.add(
          new PatientRun(
              new Physiology(patient.resting(), patientSeed, episodes, start, scenario.timeZone()),
              runs));
    }
  }

  /** The dispensing of the scenario's device that the registered device plays, if a dispenser. */
  private static Scenario.Dispensing dispensingOf(Scenario.Patient patient, PlayedDevice played) {
    if (!played.device().kind().dispenser()) {
      return null;
    }
    // PlayedDevice.bind took the patient's devices in order: the first dispenser spec of this
    // kind naming this device, or naming none
    return patient.devices().stream()
        .filter(d -> d.kind() == played.device().kind())
        .filter(d -> d.deviceId() == null || d.deviceId().equals(played.id()))
        .map(Scenario.Device::dispensing)
        .findFirst()
        .orElseThrow();
  }

  /**
   * A run of the scenario by the registered devices in {@code credentials}, over HTTP to {@code
   * target} and MQTT to {@code broker} as each device's transport (or {@code override}) says.
   *
   * @throws IllegalArgumentException when a device has no credentials or its transport no address
   */
  public static Simulation of(
      Scenario scenario,
      List<CredentialsFile.Entry> credentials,
      Optional<Transport> override,
      Settings settings,
      Optional<URI> target,
      Optional<URI> broker,
      Optional<URI> mllp) {
    return of(scenario, credentials, override, settings, target, broker, mllp, MqttTls.NONE);
  }

  /** As above, with MQTT over TLS ({@code broker} {@code mqtts://…}) as {@code tls} says. */
  public static Simulation of(
      Scenario scenario,
      List<CredentialsFile.Entry> credentials,
      Optional<Transport> override,
      Settings settings,
      Optional<URI> target,
      Optional<URI> broker,
      Optional<URI> mllp,
      MqttTls tls) {
    List<PlayedDevice> devices = PlayedDevice.bind(scenario, credentials, override);
    Map<Transport, Sender> senders = new EnumMap<>(Transport.class);
    boolean http = devices.stream().anyMatch(d -> d.transport() == Transport.HTTP);
    boolean mqtt =
        devices.stream()
            .anyMatch(d -> d.transport() == Transport.MQTT || d.transport() == Transport.GATT);
    if (http && target.isEmpty()) {
      throw new IllegalArgumentException("devices talk HTTP: give --target http://host:port");
    }
    if (mqtt && broker.isEmpty()) {
      throw new IllegalArgumentException("devices talk MQTT: give --mqtt tcp://host:port");
    }
    if (http) {
      senders.put(Transport.HTTP, new HttpSender(target.get()));
    }
    if (mqtt) {
      MqttSender mqttSender = new MqttSender(broker.get(), tls);
      senders.put(Transport.MQTT, mqttSender);
      senders.put(Transport.GATT, mqttSender);
    }
    if (devices.stream().anyMatch(d -> d.transport() == Transport.MLLP)) {
      senders.put(
          Transport.MLLP,
          new MllpSender(
              mllp.orElseThrow(() ->
                  new IllegalArgumentException(
                      "devices talk HL7 v2: give --mllp mllp://host:port"))));
    }
    return new Simulation(scenario, devices, settings, senders);
  }

  /**
   * Where the simulated clock starts unless told: now at real speed; faster, early enough that the
   * run ends now, so that no reading is ever dated in the future.
   */
  public static Instant defaultStart(Instant now, Scenario scenario, double speed) {
    Instant start = speed > 1 ? now.minus(scenario.duration()) : now;
    return start.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }

  /**
   * How far ahead of the wall clock the last reading of a run from {@code start} will be dated —
   * Vigil refuses readings more than {@code vigil.ingest.max-future-skew} (5 minutes) ahead.
   */
  public static Duration aheadOfTimeAtEnd(
      Instant now, Instant start, Scenario scenario, double speed) {
    Instant lastReading = start.plus(scenario.duration());
    Instant wallAtEnd = now.plusMillis((long) (scenario.duration().toMillis() / speed));
    return Duration.between(wallAtEnd, lastReading);
  }

  /** The facts of this run, for {@code --ground-truth}. */
  public GroundTruth groundTruth() {
    java.util.Map<PlayedDevice, DoseEvents> dispensers = new java.util.LinkedHashMap<>();
    for (PatientRun patient : patients) {
      for (DeviceRun device : patient.devices) {
        if (device.doses != null) {
          dispensers.put(device.played, device.doses);
        }
      }
    }
    return GroundTruth.of(scenario, devices, seed, settings.speed(), start, dispensers);
  }

  /** Starts the clock and the devices; returns at once. */
  public void start() {
    wallStart = System.nanoTime();
    for (PatientRun patient : patients) {
      for (DeviceRun device : patient.devices) {
        outboxThreads.add(
            Thread.ofVirtual().name("simulated-" + device.played.id()).start(device::drain));
      }
    }
    ticker.scheduleAtFixedRate(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Plays the whole scenario and waits for the last answer, at most {@code drain} after the
   * simulated clock reached the end.
   */
  public Summary run(Duration drain) throws InterruptedException {
    start();
    generated.await();
    long deadline = System.nanoTime() + drain.toNanos();
    for (Thread thread : outboxThreads) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        thread.join(Duration.ofNanos(left));
      }
    }
    long unsent = Math.max(0, queued.get());
    for (Thread thread : outboxThreads) {
      thread.interrupt();
    }
    wallEnd = System.nanoTime();
    return summary(unsent);
  }

  /** The counts so far (all of them after {@link #run}). */
  public Summary summary() {
    return summary(0);
  }

  private Summary summary(long unsent) {
    long endNanos = wallEnd != 0 ? wallEnd : System.nanoTime();
    Instant now = simulatedNow();
    Duration simulated = Duration.between(start, now.isAfter(end) ? end : now);
    return tally.summary(
        scenario.name(),
        scenario.patients().size(),
        devices.size(),
        simulated,
        Duration.ofNanos(endNanos - wallStart),
        unsent);
  }

  private Instant simulatedNow() {
    double elapsedMillis = (System.nanoTime() - wallStart) / 1e6 * settings.speed();
    return start.plusMillis((long) elapsedMillis);
  }

  private void tick() {
    try {
      if (generated.getCount() == 0 || queued.get() > maxQueued) {
        return; // finished, or the senders are behind: let them catch up
      }
      Instant now = simulatedNow();
      boolean done = true;
      for (PatientRun patient : patients) {
        for (int n = 0; n < MAX_WINDOWS_PER_TICK; n++) {
          Instant windowStart = start.plusMillis(patient.nextWindow * windowMillis);
          Instant windowEnd = min(windowStart.plusMillis(windowMillis), end);
          if (!windowStart.isBefore(end) || windowEnd.isAfter(now)) {
            break;
          }
          generate(patient, windowStart, windowEnd);
          patient.nextWindow++;
        }
        if (start.plusMillis(patient.nextWindow * windowMillis).isBefore(end)) {
          done = false;
        }
      }
      if (done) {
        for (PatientRun patient : patients) {
          for (DeviceRun device : patient.devices) {
            device.finish();
          }
        }
        generated.countDown();
      }
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: log and carry on.
      log.warn("Simulator tick failed: {}", e.toString());
    }
  }

  /** One window of one patient: every device's readings, sampled in time order. */
  private void generate(PatientRun patient, Instant windowStart, Instant windowEnd) {
    long from = windowStart.toEpochMilli() - start.toEpochMilli();
    long to = windowEnd.toEpochMilli() - start.toEpochMilli();
    List<Sample> samples = new ArrayList<>();
    for (int d = 0; d < patient.devices.size(); d++) {
      for (Vital vital : patient.devices.get(d).played.device().kind().vitals()) {
        long interval = intervalMillis.get(vital);
        for (long at = ceilDiv(from, interval) * interval; at < to; at += interval) {
          samples.add(new Sample(at, d, vital));
        }
      }
    }
    samples.sort(
        Comparator.comparingLong(Sample::offset)
            .thenComparingInt(Sample::device)
            .thenComparing(Sample::vital));
    List<List<Reading>> perDevice = new ArrayList<>();
    for (int d = 0; d < patient.devices.size(); d++) {
      perDevice.add(new ArrayList<>());
    }
    for (Sample s : samples) {
      Instant at = start.plusMillis(s.offset());
      double value = patient.physiology.sample(s.vital(), at);
      perDevice
          .get(s.device())
          .add(
              new Reading(
                  s.vital(), at, patient.devices.get(s.device()).read(s.vital(), at, value)));
    }
    for (int d = 0; d < patient.devices.size(); d++) {
      DeviceRun device = patient.devices.get(d);
      if (device.doses != null) {
        device.doses(windowStart, windowEnd);
      } else {
        device.window(perDevice.get(d));
      }
    }
  }

  private record Sample(long offset, int device, Vital vital) {}

  record Reading(Vital vital, Instant at, double value) {}

  /** One patient's physiology and devices; the clock thread alone moves its window on. */
  private static final class PatientRun {
    private final Physiology physiology;
    private final List<DeviceRun> devices;
    private long nextWindow;

    PatientRun(Physiology physiology, List<DeviceRun> devices) {
      this.physiology = physiology;
      this.devices = devices;
    }
  }

  /** A device's messages on their way: what the outbox thread takes. */
  private sealed interface Item {}

  /**
   * @param channel where it goes: {@code messages} (readings), {@code events}, or {@code
   *     gatt/{uuid16}}
   */
  private record Message(byte[] payload, int readings, boolean garbage, String channel)
      implements Item {
    static final String READINGS = "messages";
    static final String EVENTS = "events";

    Message(byte[] payload, int readings, boolean garbage) {
      this(payload, readings, garbage, READINGS);
    }
  }

  private record GoOffline() implements Item {}

  private record End() implements Item {}

  /** One device: its faults, its outbox and the thread that empties it. */
  private final class DeviceRun {
    private final PlayedDevice played;
    private final SplittableRandom dice;
    private final LinkedBlockingQueue<Item> outbox = new LinkedBlockingQueue<>();
    private final List<Message> offlineBuffer = new ArrayList<>();
    private Message heldBack;
    private long sequence;
    private boolean offline;
    private boolean buffering;
    private boolean probeOff;

    /** What a dispenser's patient does with each dose; null for devices that send readings. */
    private final DoseEvents doses;

    DeviceRun(PlayedDevice played, long seed, Scenario.Dispensing dispensing) {
      this.played = played;
      this.dice = new SplittableRandom(seed);
      this.doses =
          dispensing == null ? null : new DoseEvents(dispensing, scenario.timeZone(), seed);
    }

    /** A dispenser's events of one window, each its own message (no faults: events are few). */
    void doses(Instant windowStart, Instant windowEnd) {
      for (DoseEvents.Dose dose : doses.reportedBetween(windowStart, windowEnd)) {
        if (outageAt(dose.eventAt()).isEmpty()) {
          put(
              new Message(
                  doses.payload(dose, played.device().kind(), played.faults().skew()),
                  0,
                  false,
                  Message.EVENTS));
        }
      }
    }

    /**
     * The device's readings of one window, in time order. Where an outage begins or ends within the
     * window, the readings before and after it go in separate messages.
     */
    void window(List<Reading> readings) {
      int i = 0;
      while (i < readings.size()) {
        Optional<Scenario.Disconnect> outage = outageAt(readings.get(i).at());
        Optional<Scenario.ProbeOff> loose = probeOffAt(readings.get(i).at());
        int j = i + 1;
        while (j < readings.size()
            && outageAt(readings.get(j).at()).equals(outage)
            && probeOffAt(readings.get(j).at()).equals(loose)) {
          j++;
        }
        if (outage.isPresent() && !offline) {
          offline = true;
          buffering = outage.get().buffer();
          put(new GoOffline());
        } else if (outage.isEmpty() && offline) {
          offline = false;
          offlineBuffer.forEach(this::put);
          offlineBuffer.clear();
        }
        if (loose.isPresent() != probeOff) {
          probeOff = loose.isPresent();
          Instant at =
              loose.isPresent()
                  ? start.plus(loose.get().at())
                  : readings.get(i).at(); // the probe back on: its first good reading says so
          send(event(probeOff ? "probe-off" : "probe-on", at));
        }
        if (played.transport() == Transport.GATT) {
          for (GattPayload.Value value :
              GattPayload.of(played.device().kind(), readings.subList(i, j), sequence + 1)) {
            sequence++;
            message(new Message(value.bytes(), value.readings(), false, "gatt/" + value.uuid16()));
          }
          i = j;
          continue;
        }
        for (int k = i; k < j; k += settings.maxReadingsPerMessage()) {
          List<Reading> chunk =
              readings.subList(k, Math.min(j, k + settings.maxReadingsPerMessage()));
          byte[] payload =
              played.transport() == Transport.MLLP
                  ? Pcd01Payload.of(played, chunk, played.faults().skew(), ++sequence)
                  : payload(chunk);
          message(new Message(payload, chunk.size(), false));
        }
        i = j;
      }
    }

    private Optional<Scenario.Disconnect> outageAt(Instant at) {
      Duration offset = Duration.between(start, at);
      return played.faults().outages().stream()
          .filter(
              o -> o.at().compareTo(offset) <= 0 && offset.compareTo(o.at().plus(o.duration())) < 0)
          .findFirst();
    }

    private Optional<Scenario.ProbeOff> probeOffAt(Instant at) {
      Duration offset = Duration.between(start, at);
      return played.faults().probeOffs().stream()
          .filter(
              p -> p.at().compareTo(offset) <= 0 && offset.compareTo(p.at().plus(p.duration())) < 0)
          .findFirst();
    }

    /** What the device reads: the patient's value, or an artefact while its probe is off. */
    double read(Vital vital, Instant at, double physiological) {
      if (vital != Vital.OXYGEN_SATURATION || probeOffAt(at).isEmpty()) {
        return physiological;
      }
      return 65 + dice.nextInt(21);
    }

    private Message event(String type, Instant at) {
      byte[] body =
          ("{\"type\":\"" + type + "\",\"time\":\"" + at.plus(played.faults().skew()) + "\"}")
              .getBytes(StandardCharsets.UTF_8);
      return new Message(body, 0, false, Message.EVENTS);
    }

    /** The faults of one message, rolled in a fixed order so that runs repeat. */
    private void message(Message message) {
      boolean garbage = dice.nextDouble() < played.faults().garbageRate();
      boolean duplicate = dice.nextDouble() < played.faults().duplicateRate();
      boolean holdBack = dice.nextDouble() < played.faults().outOfOrderRate();
      if (garbage) {
        int kind = dice.nextInt(Garbage.KINDS);
        if (played.transport() == Transport.GATT) {
          // a value cut short, as a gateway that lost the link mid-notification forwards it
          send(
              new Message(
                  java.util.Arrays.copyOf(message.payload(), 2), 0, true, message.channel()));
        } else {
          send(
              played.transport() == Transport.MLLP
                  ? Garbage.hl7(kind, played.id())
                  : Garbage.payload(kind));
        }
      }
      if (holdBack && heldBack == null) {
        heldBack = message;
        tally.heldBack.increment();
        return;
      }
      send(message);
      if (duplicate) {
        tally.duplicatesSent.increment();
        send(message);
      }
      if (heldBack != null) {
        send(heldBack);
        heldBack = null;
      }
    }

    private void send(Message message) {
      if (!offline) {
        put(message);
      } else if (buffering) {
        offlineBuffer.add(message);
      } else {
        tally.droppedOffline.add(message.readings());
      }
    }

    private void send(byte[] garbage) {
      send(new Message(garbage, 0, true));
    }

    /** The scenario is over: whatever the device still holds goes out, then it stops. */
    void finish() {
      offline = false;
      offlineBuffer.forEach(this::put);
      offlineBuffer.clear();
      if (heldBack != null) {
        put(heldBack);
        heldBack = null;
      }
      outbox.add(new End());
    }

    private void put(Item item) {
      if (item instanceof Message) {
        queued.incrementAndGet();
      }
      outbox.add(item);
    }

    void drain() {
      Sender sender = senders.get(played.transport());
      try {
        while (true) {
          Item item = outbox.take();
          switch (item) {
            case End e -> {
              return;
            }
            case GoOffline g -> sender.disconnect(played);
            case Message m -> {
              inFlight.acquire();
              try {
                tally.record(
                    m.garbage(),
                    m.readings(),
                    switch (m.channel()) {
                      case Message.READINGS -> sender.deliver(played, m.payload(), m.readings());
                      case Message.EVENTS -> sender.deliverEvent(played, m.payload());
                      default ->
                          sender.deliverGatt(
                              played,
                              m.channel().substring("gatt/".length()),
                              m.payload(),
                              m.readings());
                    });
              } finally {
                inFlight.release();
                queued.decrementAndGet();
              }
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Vigil's native JSON, each reading dated by the device's (possibly wrong) clock. */
    private byte[] payload(List<Reading> readings) {
      Duration skew = played.faults().skew();
      StringBuilder json = new StringBuilder(32 + 80 * readings.size());
      json.append("{\"measurements\":[");
      for (int i = 0; i < readings.size(); i++) {
        Reading r = readings.get(i);
        if (i > 0) {
          json.append(',');
        }
        json.append("{\"code\":\"").append(r.vital().code()).append("\",\"value\":");
        if (r.value() == Math.rint(r.value())) {
          json.append((long) r.value());
        } else {
          json.append(r.value());
        }
        json.append(",\"unit\":\"")
            .append(r.vital().unit())
            .append("\",\"time\":\"")
            .append(r.at().plus(skew))
            .append("\"}");
      }
      return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    for (Thread thread : outboxThreads) {
      thread.interrupt();
    }
    for (Sender sender : senders.values()) {
      sender.close();
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static long ceilDiv(long a, long b) {
    return Math.floorDiv(a + b - 1, b);
  }

  private static long mix(long x) {
    // SplitMix64's finaliser: nearby ids give unrelated seeds.
    x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
    x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
    return x ^ (x >>> 31);
  }
}
