package io.edgewatch.inference;

/** A model, its manifest or its runtime refused to load or run; the message names the file and the cause. */
public class ModelException extends RuntimeException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
