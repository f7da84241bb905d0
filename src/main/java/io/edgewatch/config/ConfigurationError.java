package io.edgewatch.config;

/**
 * A configuration that every key passes on its own but that does not hold together (two keys that contradict each
 * other, every camera disabled): found when the agent starts, reported like a configuration error found while the
 * configuration is read (exit code 1, the message naming the keys and values).
 */
public class ConfigurationError extends IllegalArgumentException {
    public ConfigurationError(String message) {
        super(message);
    }
}
