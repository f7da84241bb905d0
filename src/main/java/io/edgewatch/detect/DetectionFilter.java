package io.edgewatch.detect;

import java.util.Map;
import java.util.Set;

/**
 * Grades detections: label in the allow-list and score at or above the label's threshold is
 * {@link Grade#CONFIDENT} (may start a track); allowed label with a score at or above {@code weakScore} is
 * {@link Grade#WEAK} (may only keep an existing track alive, as in ByteTrack, Zhang et al. 2022, arXiv
 * 2110.06864); anything else is rejected.
 *
 * @param allowedLabels   labels to keep; empty keeps every label
 * @param minScore        default minimum score of a confident detection, 0..1
 * @param minScoreByLabel per-label minimum score overriding {@code minScore}
 * @param weakScore       minimum score of a weak detection, 0..1; at or above the thresholds disables weak ones
 */
public record DetectionFilter(Set<String> allowedLabels, double minScore, Map<String, Double> minScoreByLabel, double weakScore) {

    /** How a detection is used. */
    public enum Grade { CONFIDENT, WEAK, REJECTED }

    public DetectionFilter {
        allowedLabels = Set.copyOf(allowedLabels);
        minScoreByLabel = Map.copyOf(minScoreByLabel);
    }

    /** A filter without weak detections. */
    public DetectionFilter(Set<String> allowedLabels, double minScore, Map<String, Double> minScoreByLabel) {
        this(allowedLabels, minScore, minScoreByLabel, 1.0);
    }

    /** True when the detection is confident: allowed label and score at or above its threshold. */
    public boolean accept(Detection d) {
        return grade(d) == Grade.CONFIDENT;
    }

    /** Grades one detection. */
    public Grade grade(Detection d) {
        if (!allowedLabels.isEmpty() && !allowedLabels.contains(d.label())) {
            return Grade.REJECTED;
        }
        if (d.score() >= minScoreByLabel.getOrDefault(d.label(), minScore)) {
            return Grade.CONFIDENT;
        }
        return d.score() >= weakScore ? Grade.WEAK : Grade.REJECTED;
    }

    /** The lowest score that can pass as confident or weak. */
    public double lowestThreshold() {
        double min = Math.min(minScore, weakScore);
        for (double v : minScoreByLabel.values()) {
            min = Math.min(min, v);
        }
        return min;
    }
}
