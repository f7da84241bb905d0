package io.edgewatch.inference;

/**
 * An accelerator delegate could not be loaded, created or applied, or it computed wrong outputs. The message names
 * the library and the model and carries the plugin's own error text when it reported one. The caller applies the
 * model's fallback policy.
 */
public class DelegateException extends ModelException {
    public DelegateException(String message) {
        super(message);
    }

    public DelegateException(String message, Throwable cause) {
        super(message, cause);
    }
}
