package org.vigil.alarm.webhook;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.vigil.alarm.Alarm;
import org.vigil.alarm.AlarmEvent;
import org.vigil.alarm.AlarmPriority;

/**
 * Which alarm changes a webhook is sent: of the listed kinds of change and of the listed
 * priorities; an empty list of either means all of them.
 */
record EventFilter(Set<AlarmEvent.Kind> kinds, Set<AlarmPriority> priorities) {

  static final EventFilter ALL =
      new EventFilter(EnumSet.allOf(AlarmEvent.Kind.class), EnumSet.allOf(AlarmPriority.class));

  /** The filter the names describe; an unknown name fails, naming the setting. */
  static EventFilter of(String setting, List<String> names) {
    Set<AlarmEvent.Kind> kinds = EnumSet.noneOf(AlarmEvent.Kind.class);
    Set<AlarmPriority> priorities = EnumSet.noneOf(AlarmPriority.class);
    for (String name : names) {
      String code = name.strip().toUpperCase(Locale.ROOT);
      if (code.isEmpty()) {
        continue;
      }
      if (Set.of("RAISED", "UPDATED", "ESCALATED", "SNOOZED", "ACKNOWLEDGED", "RESOLVED")
          .contains(code)) {
        kinds.add(AlarmEvent.Kind.valueOf(code));
      } else if (Set.of("HIGH", "MEDIUM", "LOW").contains(code)) {
        priorities.add(AlarmPriority.valueOf(code));
      } else {
        throw new IllegalArgumentException(
            setting
                + ": "
                + name
                + " is neither a change (raised, updated, acknowledged, resolved, escalated,"
                + " snoozed) nor a priority (high, medium, low)");
      }
    }
    return new EventFilter(
        kinds.isEmpty() ? EnumSet.allOf(AlarmEvent.Kind.class) : kinds,
        priorities.isEmpty() ? EnumSet.allOf(AlarmPriority.class) : priorities);
  }

  boolean accepts(Alarm alarm, AlarmEvent.Kind what) {
    return kinds.contains(what) && priorities.contains(alarm.priority());
  }
}
