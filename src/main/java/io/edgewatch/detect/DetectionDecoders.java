package io.edgewatch.detect;

import io.edgewatch.inference.ModelException;
import io.edgewatch.inference.TfliteModel;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The detection decoders by the name a model manifest gives in {@code decoder}: a second detector family (e.g. a
 * YOLO export without the post-process op) is a manifest plus a {@link DetectionDecoder} registered here.
 */
public final class DetectionDecoders {
    /** Creates a decoder for one loaded model, checking its output layout. */
    @FunctionalInterface
    public interface Factory {
        /** @throws ModelException when the model's outputs do not have the layout the decoder reads */
        DetectionDecoder create(TfliteModel model, LabelMap labels, DetectionFilter filter);
    }

    private static final Map<String, Factory> REGISTRY = Map.of(SsdPostprocessDecoder.NAME, SsdPostprocessDecoder::forModel);

    private DetectionDecoders() {
    }

    /** Known decoder names, sorted. */
    public static Set<String> names() {
        return new TreeSet<>(REGISTRY.keySet());
    }

    /**
     * The decoder the manifest names.
     *
     * @throws ModelException when the name is unknown (the message lists the known ones) or the model does not fit it
     */
    public static DetectionDecoder create(String name, TfliteModel model, LabelMap labels, DetectionFilter filter) {
        Factory f = name == null ? null : REGISTRY.get(name);
        if (f == null) {
            throw new ModelException("model " + model.name() + ": decoder '" + name + "' of its manifest is not one of " + names());
        }
        return f.create(model, labels, filter);
    }
}
