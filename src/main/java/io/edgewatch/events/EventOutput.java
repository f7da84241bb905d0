package io.edgewatch.events;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * Where the running agent's events go, in words, for {@code /transparency}: set by the agent once its sink exists
 * (a broker URL given on the command line counts, not only the configuration).
 */
@ApplicationScoped
public class EventOutput {
    private volatile String description;

    /** Records where the events go, e.g. {@code metadata events ... on MQTT edgewatch/gate-01/<camera>/events}. */
    public void describe(String description) {
        this.description = description;
    }

    /** Where the events go, or empty before the agent has started. */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /**
     * The sentence for one kind of output.
     *
     * @param mqtt        true for a broker, false for standard output
     * @param eventsTopic the events topic pattern, e.g. {@code edgewatch/gate-01/<camera>/events}
     */
    public static String sentence(boolean mqtt, String eventsTopic) {
        return mqtt ? "metadata events (boxes, tracks, times) on MQTT " + eventsTopic
                : "metadata events (boxes, tracks, times) on standard output as JSON lines (no MQTT broker configured)";
    }
}
