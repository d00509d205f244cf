package org.vigil.analytics;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where NEWS2 scores are kept: each change of a patient's assessment, as it happened. */
public interface EarlyWarningScores {

  /** Stores the score and returns it with its id. */
  News2Score save(News2Score score);

  Optional<News2Score> find(long id);

  Optional<News2Score> latest(String patientId);

  /**
   * A patient's scores effective within the period (either end open), newest first unless {@code
   * oldestFirst}, at most {@code max}.
   */
  List<News2Score> history(
      String patientId, Optional<Instant> from, Optional<Instant> to, boolean oldestFirst, int max);

  /** How many scores the patient has within the period. */
  long count(String patientId, Optional<Instant> from, Optional<Instant> to);
}
