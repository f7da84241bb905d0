package io.edgewatch.homeassistant;

/**
 * What Home Assistant discovery needs from the broker connection (the agent's MQTT sink, adapted by the pipeline):
 * retained publishes kept and republished after every reconnect, subscriptions renewed after every connect, and a
 * hook run after each connect. Implementations are thread-safe.
 */
public interface HaTransport {
    /**
     * Publishes a retained message (an empty payload clears the topic's retained message); kept and sent again after
     * every reconnect; while disconnected it goes out at the next connect.
     */
    void publishRetained(String topic, byte[] payload);

    /** Subscribes to {@code filter} (QoS 1) now and after every reconnect; messages go to {@code listener}. */
    void subscribe(String filter, MessageListener listener);

    /** Runs {@code action} after every successful connect, after retained messages and subscriptions are renewed. */
    void onConnected(Runnable action);

    /** True while connected to the broker. */
    boolean connected();

    /** Receives messages of a subscription, on the MQTT client's thread (must not block). */
    @FunctionalInterface
    interface MessageListener {
        /**
         * @param retained true for a retained message delivered because of the subscription (not a live one)
         */
        void arrived(String topic, byte[] payload, boolean retained);
    }
}
