package io.edgewatch.inference;

/**
 * A model loaded the way its {@link DelegateSpec} asked (or its fallback policy allowed), warmed up, with the
 * report of how that was decided. Closing it closes the model (and destroys its delegate).
 *
 * @param model  the interpreter, ready to invoke
 * @param report decision and measurements
 */
public record LoadedModel(TfliteModel model, DelegateReport report) implements AutoCloseable {
    @Override
    public void close() {
        model.close();
    }
}
