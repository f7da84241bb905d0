package io.edgewatch.events;

/**
 * Where serialized events go: an MQTT broker or standard output. Implementations are thread-safe.
 */
public interface EventSink extends AutoCloseable {
    /**
     * Sends one message.
     *
     * @param topic    MQTT topic, e.g. {@code edgewatch/<device>/<camera>/events}
     * @param payload  UTF-8 JSON
     * @param retained whether the broker keeps it as the topic's last value
     * @throws SinkException when the message could not be handed over
     */
    void send(String topic, byte[] payload, boolean retained);

    /**
     * Sends one numbered event. Sinks that store and forward (MQTT) keep it under its sequence number until it
     * is acknowledged; the default sends it like any message.
     *
     * @param seq     the event's per-agent sequence number (increasing)
     * @param topic   MQTT topic of the event
     * @param payload UTF-8 JSON
     * @throws SinkException when the event could not be stored or handed over
     */
    default void sendEvent(long seq, String topic, byte[] payload) {
        send(topic, payload, false);
    }

    /**
     * Sends one non-retained message and runs {@code acked} once the receiver has it for good: for MQTT when the
     * broker's PUBACK arrives (never, if the connection drops first: the caller sends it again after the next
     * connect). The default is done on hand-off.
     *
     * @throws SinkException when the message cannot be handed over now
     */
    default void sendAcknowledged(String topic, byte[] payload, Runnable acked) {
        send(topic, payload, false);
        acked.run();
    }

    /**
     * Registers an action run after every successful (re)connect of the sink, on the sink's own thread, after its
     * retained state is republished: other store-and-forward streams (the face audit log) send their backlog then.
     * Sinks that are always connected (standard output) never call it; the default ignores it.
     */
    default void onConnected(Runnable action) {
    }

    /** True when messages can be delivered now. */
    boolean connected();

    /** Short description for logs and health, e.g. the broker URL without credentials. */
    String describe();

    @Override
    void close();

    /** Delivery failed; the message names the sink and cause. */
    class SinkException extends RuntimeException {
        public SinkException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
