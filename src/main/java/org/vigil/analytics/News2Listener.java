package org.vigil.analytics;

import java.util.Optional;

/**
 * Extension point: told each time a patient's NEWS2 assessment changes (alarms are raised from it).
 * Called on the thread that owns the patient's partition, in order per patient; must not block.
 */
public interface News2Listener {

  /**
   * @param score the new score, stored
   * @param previous the patient's score before it, if there was one
   */
  void scoreChanged(News2Score score, Optional<News2Score> previous);
}
