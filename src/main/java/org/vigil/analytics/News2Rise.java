package org.vigil.analytics;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;

/**
 * A rising NEWS2, for one patient: a complete score at least {@code news2Rise} points above the
 * lowest complete score in force at any time within the preceding {@code news2Window} (patient
 * time), with at least {@code news2RiseParameters} parameters scoring more than they did in that
 * lowest score. NEWS2 is a step function, so the score in force when the window opens counts.
 * Incomplete scores neither raise nor clear it — their totals are only lower bounds. A heuristic of
 * Vigil's, not RCP's: RCP 2017 asks for a response to the total, not to its change; asking for more
 * than one parameter is what keeps a single vital wavering at a band edge (a respiration rate of 20
 * and 21 is 0 and 2 points) from sounding as a deteriorating patient. Not thread-safe.
 */
final class News2Rise {

  private record Point(Instant at, Map<News2Parameter, Integer> points) {
    int total() {
      return points.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** How many parameters score more here than in {@code before}. */
    int higherThan(Point before) {
      int higher = 0;
      for (var p : points.entrySet()) {
        if (p.getValue() > before.points().getOrDefault(p.getKey(), 0)) {
          higher++;
        }
      }
      return higher;
    }
  }

  private final TrendProperties settings;
  private final Deque<Point> history = new ArrayDeque<>();
  private boolean rising;
  private int lowest;

  News2Rise(TrendProperties settings) {
    this.settings = settings;
  }

  /**
   * Takes a complete score, as each parameter's points; says whether that started or ended the
   * rise.
   */
  boolean score(Instant at, Map<News2Parameter, Integer> points) {
    Point point = new Point(at, Map.copyOf(points));
    int total = point.total();
    Point last = history.peekLast();
    if (last != null && at.isBefore(last.at())) {
      return false;
    }
    Instant opens = at.minus(settings.news2Window());
    while (history.size() >= 2 && !second().at().isAfter(opens)) {
      history.removeFirst();
    }
    Optional<Point> low = history.stream().min(Comparator.comparingInt(Point::total));
    if (last == null || !last.points().equals(point.points())) {
      history.addLast(point);
    }
    boolean now =
        low.isPresent()
            && total - low.get().total() >= settings.news2Rise()
            && point.higherThan(low.get()) >= settings.news2RiseParameters();
    lowest = low.map(Point::total).orElse(total);
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
