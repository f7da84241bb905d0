package io.edgewatch.face;

import java.util.HashMap;
import java.util.Map;

/**
 * The identity decision of one person track over several attempts (embedded faces). Each attempt adds, for every
 * enrolled identity, its cosine similarity weighted by the face's quality weight; the track is identified when, after
 * at least {@code minAttempts}, the best identity's quality-weighted mean similarity reaches the threshold, and
 * decided unknown after {@code maxAttempts} without that (or at once when the gallery is empty). Once decided, no
 * more faces of the track are embedded. Not thread-safe: owned by one camera's {@link FaceStage}.
 */
public final class TrackIdentity {
    private final Map<String, double[]> sums = new HashMap<>(); // identity -> {sum w*s, sum w}
    private int attempts;
    private int refused;
    private boolean decided;
    private String identity;
    private double score = Double.NaN;
    private float[] lastEmbedding;
    private long lastAttemptSeq = Long.MIN_VALUE;

    /**
     * Adds one attempt.
     *
     * @param similarities similarity per identity for this face
     * @param weight       quality weight 0..1 (a small floor keeps every attempt counted)
     * @param threshold    threshold for this face (colour or grayscale)
     * @return true when this attempt decided the track
     */
    public boolean add(Map<String, Double> similarities, double weight, double threshold, int minAttempts, int maxAttempts) {
        if (decided) {
            return false;
        }
        attempts++;
        double w = Math.max(0.05, weight);
        similarities.forEach((id, s) -> {
            double[] a = sums.computeIfAbsent(id, k -> new double[2]);
            a[0] += w * s;
            a[1] += w;
        });
        String bestId = null;
        double best = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double mean = e.getValue()[0] / e.getValue()[1];
            if (mean > best) {
                best = mean;
                bestId = e.getKey();
            }
        }
        if (bestId != null && attempts >= minAttempts && best >= threshold) {
            decided = true;
            identity = bestId;
            score = best;
            return true;
        }
        if (similarities.isEmpty() || attempts >= maxAttempts) {
            decided = true;
            identity = null;
            return true;
        }
        return false;
    }

    /**
     * Takes an identification back because its audit entry could not be written (full disk): an identity is never
     * published without its audit record; the next attempt may decide again (and is audited then).
     */
    void undecide() {
        decided = false;
        identity = null;
        score = Double.NaN;
        clearEmbedding();
    }

    /** Counts a face that the quality gate or the grayscale policy refused. */
    public void refuse() {
        refused++;
    }

    public int attempts() {
        return attempts;
    }

    public int refused() {
        return refused;
    }

    public boolean decided() {
        return decided;
    }

    /** Identified name, or null (unknown or undecided). */
    public String identity() {
        return identity;
    }

    /** Quality-weighted mean similarity of the identified name, NaN otherwise. */
    public double score() {
        return score;
    }

    /** Keeps the last embedding for publication (only when publishing embeddings is enabled). */
    void lastEmbedding(float[] e) {
        clearEmbedding();
        lastEmbedding = e;
    }

    /** Takes the kept embedding (then forgotten here), or null. */
    float[] takeEmbedding() {
        float[] e = lastEmbedding;
        lastEmbedding = null;
        return e;
    }

    void clearEmbedding() {
        if (lastEmbedding != null) {
            java.util.Arrays.fill(lastEmbedding, 0f);
            lastEmbedding = null;
        }
    }

    long lastAttemptSeq() {
        return lastAttemptSeq;
    }

    void lastAttemptSeq(long s) {
        lastAttemptSeq = s;
    }
}
