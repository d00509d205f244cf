package org.vigil.measurement;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates unique, time-ordered measurement ids without a database round trip, so that a reading
 * has its id (and its Observation id) before it is logged. Layout, most significant first: 41 bits
 * of milliseconds since 2024-01-01, 6 bits of node id, 16 bits of sequence.
 *
 * <p>Ids never go backwards on one node, even if the clock does: a clock step back just continues
 * from the last id. After a restart the store's highest id is passed in as a floor for the same
 * reason.
 */
public final class MeasurementIds {

  static final long EPOCH_MILLIS = 1_704_067_200_000L; // 2024-01-01T00:00:00Z
  private static final int NODE_BITS = 6;
  private static final int SEQUENCE_BITS = 16;
  private static final int TIME_SHIFT = NODE_BITS + SEQUENCE_BITS;
  private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;
  static final int MAX_NODE_ID = (1 << NODE_BITS) - 1;

  private final Clock clock;
  private final long nodeBits;
  private final AtomicLong last;

  public MeasurementIds(Clock clock, int nodeId, long floor) {
    if (nodeId < 0 || nodeId > MAX_NODE_ID) {
      throw new IllegalArgumentException("node id must be 0.." + MAX_NODE_ID + ", was " + nodeId);
    }
    this.clock = clock;
    this.nodeBits = (long) nodeId << SEQUENCE_BITS;
    this.last = new AtomicLong(floor);
  }

  /** The next id: greater than every id this generator returned before and than the floor. */
  public long next() {
    long now = clock.millis() - EPOCH_MILLIS;
    return last.updateAndGet(previous -> {
      long previousTime = previous >>> TIME_SHIFT;
      long previousSequence = previous & SEQUENCE_MASK;
      if (now > previousTime) {
        return compose(now, 0);
      }
      // Same millisecond, or the clock stepped back: continue after the previous id, borrowing
      // the next millisecond when the sequence is used up rather than spilling into node bits
      // (or when the previous id is a floor from another node that sorts above ours).
      long candidate = compose(previousTime, previousSequence + 1);
      return previousSequence < SEQUENCE_MASK && candidate > previous
          ? candidate
          : compose(previousTime + 1, 0);
    });
  }

  private long compose(long millis, long sequence) {
    return millis << TIME_SHIFT | nodeBits | sequence;
  }

  /** The time an id was generated at, to the millisecond. */
  public static long epochMillisOf(long id) {
    return (id >>> TIME_SHIFT) + EPOCH_MILLIS;
  }
}
