package org.vigil.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Background load at a fixed offered rate: messages of normal vital signs go out on a schedule,
 * round robin over the devices, whether or not earlier ones have been acknowledged (open loop), so
 * a slow node shows as a backlog and as a lower acknowledged rate rather than as a gentler load.
 *
 * <p>The values stay inside every NEWS2 zero band and every default alarm limit (pulse 60–89,
 * respiration 12–20, SpO2 96–99 %, systolic 111–170 mmHg, temperature 36.1–37.9 °C), so they raise
 * no alarm of their own.
 */
final class OpenLoopLoad implements AutoCloseable {

  /** Counters at one moment. */
  record Mark(long nanos, long sent, long acknowledged, long errors) {}

  private final List<Mqtt5AsyncClient> clients;
  private final List<String> topics;
  private final long[] sequence;
  private final long[] lastMillis;
  private final double messagesPerSecond;
  private final int readingsPerMessage;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final Recorder latencies = new Recorder(3);
  private final Thread scheduler;
  private volatile boolean running = true;

  private OpenLoopLoad(
      List<Mqtt5AsyncClient> clients,
      List<String> deviceIds,
      int readingsPerSecond,
      int readingsPerMessage) {
    this.clients = clients;
    this.topics = deviceIds.stream().map(id -> "devices/" + id + "/messages").toList();
    this.sequence = new long[clients.size()];
    this.lastMillis = new long[clients.size()];
    this.messagesPerSecond = readingsPerSecond / (double) readingsPerMessage;
    this.readingsPerMessage = readingsPerMessage;
    this.scheduler = Thread.ofPlatform().name("bench-load").daemon().unstarted(this::schedule);
  }

  /** Starts publishing at once; {@code clients} are connected, one per device id. */
  static OpenLoopLoad start(
      List<Mqtt5AsyncClient> clients,
      List<String> deviceIds,
      int readingsPerSecond,
      int readingsPerMessage) {
    OpenLoopLoad load = new OpenLoopLoad(clients, deviceIds, readingsPerSecond, readingsPerMessage);
    load.scheduler.start();
    return load;
  }

  Mark mark() {
    return new Mark(System.nanoTime(), sent.get(), acknowledged.get(), errors.get());
  }

  /** Publish-to-PUBACK latencies since the last call. */
  Histogram latencies() {
    return latencies.getIntervalHistogram();
  }

  void stop() throws InterruptedException {
    running = false;
    scheduler.join(10_000);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
    for (Mqtt5AsyncClient client : clients) {
      client.disconnect();
    }
  }

  /** Every millisecond, sends what the schedule says is due by now. */
  private void schedule() {
    long start = System.nanoTime();
    long published = 0;
    int device = 0;
    while (running) {
      long due = (long) ((System.nanoTime() - start) / 1e9 * messagesPerSecond);
      for (; published < due && running; published++) {
        publish(device);
        device = (device + 1) % clients.size();
      }
      try {
        TimeUnit.MILLISECONDS.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void publish(int device) {
    long n = sequence[device]++;
    // Each reading of a device its own millisecond, never ahead of now by more than a message:
    // the store keeps a reading with the same device, code and time once.
    long millis = Math.max(System.currentTimeMillis(), lastMillis[device] + readingsPerMessage);
    lastMillis[device] = millis;
    byte[] payload = payload(n, millis);
    long at = System.nanoTime();
    sent.incrementAndGet();
    clients
        .get(device)
        .publishWith()
        .topic(topics.get(device))
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(payload)
        .send()
        .whenComplete((result, failure) -> {
          if (failure == null && result.getError().isEmpty()) {
            latencies.recordValue(System.nanoTime() - at);
            acknowledged.incrementAndGet();
          } else {
            errors.incrementAndGet();
          }
        });
  }

  private byte[] payload(long n, long millis) {
    StringBuilder json = new StringBuilder(64 + 70 * readingsPerMessage);
    json.append("{\"measurements\":[");
    for (int r = 0; r < readingsPerMessage; r++) {
      if (r > 0) {
        json.append(',');
      }
      int vital = r % CODES.length;
      json.append("{\"code\":\"")
          .append(CODES[vital])
          .append("\",\"value\":")
          .append(value(vital, n + r))
          .append(",\"unit\":\"")
          .append(UNITS[vital])
          .append("\",\"time\":\"")
          .append(Instant.ofEpochMilli(millis - readingsPerMessage + 1 + r))
          .append("\"}");
    }
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String value(int vital, long n) {
    return switch (vital) {
      case 0 -> Long.toString(60 + n % 30); // pulse 60–89
      case 1 -> Long.toString(12 + n % 9); // respiration 12–20
      case 2 -> Long.toString(96 + n % 4); // SpO2 96–99
      case 3 -> Long.toString(111 + n % 60); // systolic 111–170
      default -> "%d.%d".formatted(36 + (n % 2), 1 + n % 9); // temperature 36.1–37.9
    };
  }

  private static final String[] CODES = {"8867-4", "9279-1", "59408-5", "8480-6", "8310-5"};
  private static final String[] UNITS = {"/min", "/min", "%", "mm[Hg]", "Cel"};
}
