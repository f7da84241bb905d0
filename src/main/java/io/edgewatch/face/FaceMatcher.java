package io.edgewatch.face;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cosine similarity of an L2-normalised embedding against gallery templates. An identity's similarity is the
 * highest over its templates (several poses and lightings per identity). Stateless and thread-safe.
 */
public final class FaceMatcher {
    private FaceMatcher() {
    }

    /**
     * Best match.
     *
     * @param identity best identity, or null when the gallery holds no template of the model
     * @param score    its cosine similarity -1..1 (NaN when no template)
     */
    public record Match(String identity, double score) { }

    /** Similarity per identity (max over its templates), identities in template order. */
    public static Map<String, Double> similarities(float[] embedding, List<Gallery.Template> templates) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Gallery.Template t : templates) {
            if (t.embedding().length != embedding.length) {
                continue;
            }
            double s = FaceEmbedder.cosine(embedding, t.embedding());
            out.merge(t.identity(), s, Math::max);
        }
        return out;
    }

    /** The best identity and its similarity. */
    public static Match best(float[] embedding, List<Gallery.Template> templates) {
        String id = null;
        double best = Double.NaN;
        for (Map.Entry<String, Double> e : similarities(embedding, templates).entrySet()) {
            if (id == null || e.getValue() > best) {
                id = e.getKey();
                best = e.getValue();
            }
        }
        return new Match(id, best);
    }
}
