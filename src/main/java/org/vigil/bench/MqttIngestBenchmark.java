package org.vigil.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Sustained MQTT ingest, end to end: many devices publish readings at QoS 1 as fast as their
 * acknowledgements allow (a fixed window of messages in flight each), and every PUBACK — which
 * Vigil sends only once the readings are durable — is timed from the publish. The result is the
 * sustained durable rate and the publish-to-PUBACK latency distribution.
 *
 * <p>Closed loop: the offered load follows the server, so the rate measured is the server's
 * capacity at that concurrency, and the latencies are those at full load.
 */
public final class MqttIngestBenchmark {

  /** What to run. */
  public record Settings(
      String host,
      int port,
      List<BenchDevice> devices,
      int readingsPerMessage,
      int inFlightPerDevice,
      Duration warmup,
      Duration measure) {}

  /** A device the benchmark plays: its credentials and a distinct time base for its readings. */
  public record BenchDevice(String deviceId, String token) {

    /** Connects as this device (MQTT 5, its id and token), waiting at most 30 s. */
    Mqtt5AsyncClient connect(String host, int port) {
      Mqtt5AsyncClient client =
          MqttClient.builder()
              .useMqttVersion5()
              .identifier("bench-" + deviceId)
              .serverHost(host)
              .serverPort(port)
              .simpleAuth()
              .username(deviceId)
              .password(token.getBytes(StandardCharsets.UTF_8))
              .applySimpleAuth()
              .buildAsync();
      client.connect().orTimeout(30, TimeUnit.SECONDS).join();
      return client;
    }
  }

  /** The figures of one run. */
  public record Result(
      int devices,
      int readingsPerMessage,
      double seconds,
      long messages,
      long readings,
      double messagesPerSecond,
      double readingsPerSecond,
      long errors,
      LatencyReport publishToPuback) {}

  private final Settings settings;
  private final Recorder latencies = new Recorder(3);
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile boolean running = true;

  public MqttIngestBenchmark(Settings settings) {
    this.settings = settings;
  }

  public Result run() throws InterruptedException {
    List<Mqtt5AsyncClient> clients = new ArrayList<>();
    for (BenchDevice device : settings.devices()) {
      Mqtt5AsyncClient client = device.connect(settings.host(), settings.port());
      clients.add(client);
    }
    // Readings are dated in the last hour, each device its own milliseconds, so none is a
    // duplicate of another (the store keeps a redelivered reading once).
    long base = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
    CountDownLatch stopped = new CountDownLatch(clients.size() * settings.inFlightPerDevice());
    for (int d = 0; d < clients.size(); d++) {
      Sender sender =
          new Sender(clients.get(d), settings.devices().get(d).deviceId(), base, stopped);
      for (int w = 0; w < settings.inFlightPerDevice(); w++) {
        sender.next();
      }
    }
    Thread.sleep(settings.warmup());
    latencies.reset();
    long startMessages = acknowledged.get();
    long startErrors = errors.get();
    long start = System.nanoTime();
    Thread.sleep(settings.measure());
    Histogram window = latencies.getIntervalHistogram();
    long messages = acknowledged.get() - startMessages;
    long failed = errors.get() - startErrors;
    double seconds = (System.nanoTime() - start) / 1e9;
    running = false;
    stopped.await(60, TimeUnit.SECONDS);
    for (Mqtt5AsyncClient client : clients) {
      client.disconnect();
    }
    return new Result(
        clients.size(),
        settings.readingsPerMessage(),
        Math.round(seconds * 10) / 10.0,
        messages,
        messages * settings.readingsPerMessage(),
        Math.round(messages / seconds),
        Math.round(messages * settings.readingsPerMessage() / seconds),
        failed,
        LatencyReport.of(window));
  }

  /** One device's publishing loop: a new message as soon as one is acknowledged. */
  private final class Sender {
    private final Mqtt5AsyncClient client;
    private final String topic;
    private final AtomicLong sequence = new AtomicLong();
    private final long base;
    private final CountDownLatch stopped;

    Sender(Mqtt5AsyncClient client, String deviceId, long base, CountDownLatch stopped) {
      this.client = client;
      this.topic = "devices/" + deviceId + "/messages";
      this.base = base;
      this.stopped = stopped;
    }

    void next() {
      if (!running) {
        stopped.countDown();
        return;
      }
      long n = sequence.getAndIncrement();
      byte[] payload = payload(n);
      long sent = System.nanoTime();
      client
          .publishWith()
          .topic(topic)
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(payload)
          .send()
          .whenComplete((result, failure) -> done(sent, result, failure));
    }

    private void done(long sent, Mqtt5PublishResult result, Throwable failure) {
      if (failure == null && result.getError().isEmpty()) {
        latencies.recordValue(System.nanoTime() - sent);
        acknowledged.incrementAndGet();
      } else {
        errors.incrementAndGet();
      }
      next();
    }

    /** Native JSON with readings of one second: heart rate, SpO2, respiratory rate, … */
    private byte[] payload(long n) {
      StringBuilder json = new StringBuilder(64 + 70 * settings.readingsPerMessage());
      json.append("{\"measurements\":[");
      for (int r = 0; r < settings.readingsPerMessage(); r++) {
        if (r > 0) {
          json.append(',');
        }
        long millis = base + n * settings.readingsPerMessage() + r;
        json.append("{\"code\":\"")
            .append(CODES[r % CODES.length])
            .append("\",\"value\":")
            .append(VALUES[r % VALUES.length] + (n % 5))
            .append(",\"unit\":\"")
            .append(UNITS[r % UNITS.length])
            .append("\",\"time\":\"")
            .append(Instant.ofEpochMilli(millis))
            .append("\"}");
      }
      return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  private static final String[] CODES = {"8867-4", "59408-5", "9279-1", "8480-6", "8462-4"};
  private static final int[] VALUES = {72, 95, 16, 120, 78};
  private static final String[] UNITS = {"/min", "%", "/min", "mm[Hg]", "mm[Hg]"};

  /** The machine the figures come from. */
  public record Machine(int cores, long memoryMegabytes, String java, String os) {
    public static Machine current() {
      long memory =
          ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                  .getTotalMemorySize()
              / (1024 * 1024);
      return new Machine(
          Runtime.getRuntime().availableProcessors(),
          memory,
          Runtime.version().toString(),
          System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }
  }
}
