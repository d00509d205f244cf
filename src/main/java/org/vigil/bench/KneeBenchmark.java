package org.vigil.bench;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Step mode: offers a sustained open-loop load over MQTT (QoS 1), raising it step by step, until a
 * step breaks the stated bound — its publish-to-PUBACK p99 above the limit, fewer readings
 * acknowledged than offered (a backlog growing), or any error. The knee is the highest offered rate
 * that held.
 */
public final class KneeBenchmark {

  /**
   * @param startReadingsPerSecond the first step's offered load
   * @param factor each step offers this many times the last
   * @param maxSteps stop after this many steps even if every one held
   * @param p99Bound the highest publish-to-PUBACK p99 a step may have and still hold
   * @param minAcknowledgedShare the least share of offered readings a step must have acknowledged
   */
  public record Settings(
      String host,
      int mqttPort,
      List<MqttIngestBenchmark.BenchDevice> devices,
      int readingsPerMessage,
      int startReadingsPerSecond,
      double factor,
      int maxSteps,
      Duration stepWarmup,
      Duration stepDuration,
      Duration p99Bound,
      double minAcknowledgedShare) {

    public Settings {
      if (factor <= 1 || maxSteps < 1 || startReadingsPerSecond < 1) {
        throw new IllegalArgumentException(
            "steps must rise (factor above 1) from a positive rate, at least one step");
      }
    }
  }

  /** One step: what was offered, what came back, and whether it held the bound (and why not). */
  public record Step(
      int offeredReadingsPerSecond,
      double acknowledgedReadingsPerSecond,
      LatencyReport publishToPuback,
      long errors,
      boolean held,
      Optional<String> broke) {}

  /** Every step run, and the highest offered rate that held, if any did. */
  public record Result(int readingsPerMessage, List<Step> steps, Optional<Integer> knee) {}

  /** A step that lets the messages still in flight come back before the next one starts. */
  private static final Duration DRAIN = Duration.ofSeconds(10);

  private final Settings settings;

  public KneeBenchmark(Settings settings) {
    this.settings = settings;
  }

  /** Runs the steps, telling {@code onStep} of each as it ends. */
  public Result run(Consumer<Step> onStep) throws InterruptedException {
    List<Mqtt5AsyncClient> clients = new ArrayList<>();
    for (MqttIngestBenchmark.BenchDevice device : settings.devices()) {
      clients.add(device.connect(settings.host(), settings.mqttPort()));
    }
    List<String> deviceIds =
        settings.devices().stream().map(MqttIngestBenchmark.BenchDevice::deviceId).toList();
    List<Step> steps = new ArrayList<>();
    Optional<Integer> knee = Optional.empty();
    try {
      double rate = settings.startReadingsPerSecond();
      for (int i = 0; i < settings.maxSteps(); i++) {
        Step step = step(clients, deviceIds, (int) Math.round(rate));
        steps.add(step);
        onStep.accept(step);
        if (!step.held()) {
          break;
        }
        knee = Optional.of(step.offeredReadingsPerSecond());
        rate *= settings.factor();
      }
    } finally {
      for (Mqtt5AsyncClient client : clients) {
        client.disconnect();
      }
    }
    return new Result(settings.readingsPerMessage(), steps, knee);
  }

  private Step step(List<Mqtt5AsyncClient> clients, List<String> deviceIds, int readingsPerSecond)
      throws InterruptedException {
    OpenLoopLoad load =
        OpenLoopLoad.start(clients, deviceIds, readingsPerSecond, settings.readingsPerMessage());
    OpenLoopLoad.Mark from;
    OpenLoopLoad.Mark to;
    LatencyReport latencies;
    try {
      TimeUnit.NANOSECONDS.sleep(settings.stepWarmup().toNanos());
      load.latencies(); // what the warm-up recorded is not this step's
      from = load.mark();
      TimeUnit.NANOSECONDS.sleep(settings.stepDuration().toNanos());
      to = load.mark();
      latencies = LatencyReport.of(load.latencies());
    } finally {
      load.stop();
    }
    // the next step starts on an idle node: what is in flight comes back (or times out) first
    long drainEnd = System.nanoTime() + DRAIN.toNanos();
    while (System.nanoTime() < drainEnd) {
      OpenLoopLoad.Mark now = load.mark();
      if (now.acknowledged() + now.errors() >= now.sent()) {
        break;
      }
      Thread.sleep(50);
    }
    double seconds = (to.nanos() - from.nanos()) / 1e9;
    double acknowledged =
        (to.acknowledged() - from.acknowledged()) * settings.readingsPerMessage() / seconds;
    double offered = (to.sent() - from.sent()) * settings.readingsPerMessage() / seconds;
    long errors = to.errors() - from.errors();
    double boundMillis = settings.p99Bound().toNanos() / 1e6;
    Optional<String> broke = Optional.empty();
    if (offered < settings.minAcknowledgedShare() * readingsPerSecond) {
      // the load generator itself fell behind: no figure about the node can come of this step
      broke = Optional.of("this client could offer only %.0f readings/s".formatted(offered));
    } else if (errors > 0) {
      broke = Optional.of(errors + " errors");
    } else if (latencies.p99() > boundMillis) {
      broke = Optional.of("p99 " + latencies.p99() + " ms above " + boundMillis + " ms");
    } else if (acknowledged < settings.minAcknowledgedShare() * offered) {
      broke =
          Optional.of(
              "acknowledged %.0f of %.0f readings/s offered".formatted(acknowledged, offered));
    }
    return new Step(
        readingsPerSecond, Math.round(acknowledged), latencies, errors, broke.isEmpty(), broke);
  }
}
