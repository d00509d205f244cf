package org.vigil.analytics;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalInt;

/**
 * A rising NEWS2, for one patient: a complete score at least {@code news2Rise} points above the
 * lowest complete score in force at any time within the preceding {@code news2Window} (patient
 * time). NEWS2 is a step function, so the score in force when the window opens counts. Incomplete
 * scores neither raise nor clear it — their totals are only lower bounds. A heuristic of Vigil's,
 * not RCP's: RCP 2017 asks for a response to the total, not to its change. Not thread-safe.
 */
final class News2Rise {

  private record Point(Instant at, int total) {}

  private final TrendProperties settings;
  private final Deque<Point> history = new ArrayDeque<>();
  private boolean rising;
  private int lowest;

  News2Rise(TrendProperties settings) {
    this.settings = settings;
  }

  /** Takes a complete score; says whether that started or ended the rise. */
  boolean score(Instant at, int total) {
    Point last = history.peekLast();
    if (last != null && at.isBefore(last.at())) {
      return false;
    }
    Instant opens = at.minus(settings.news2Window());
    while (history.size() >= 2 && !second().at().isAfter(opens)) {
      history.removeFirst();
    }
    OptionalInt low = history.stream().mapToInt(Point::total).min();
    if (last == null || last.total() != total) {
      history.addLast(new Point(at, total));
    }
    boolean now = low.isPresent() && total - low.getAsInt() >= settings.news2Rise();
    lowest = low.orElse(total);
    if (now == rising) {
      return false;
    }
    rising = now;
    return true;
  }

  boolean rising() {
    return rising;
  }

  /** The lowest score in the window before the last one taken. */
  int lowest() {
    return lowest;
  }

  private Point second() {
    var it = history.iterator();
    it.next();
    return it.next();
  }
}
