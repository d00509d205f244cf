package org.vigil.analytics;

/**
 * Extension point: told when a trend is detected for a patient and when it clears. Called on the
 * thread that owns the patient's partition, in order per patient; must not block.
 */
public interface TrendListener {

  void trendChanged(TrendChange change);
}
