package io.edgewatch.events;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A sink that counts and discards every message, always connected: for benchmarks and tests that run the real
 * pipeline (which still serializes every event) without a broker. Thread-safe.
 */
public final class DiscardingSink implements EventSink {
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    @Override
    public void send(String topic, byte[] payload, boolean retained) {
        messages.incrementAndGet();
        bytes.addAndGet(payload.length);
    }

    /** Messages sent so far (events and retained state). */
    public long messages() {
        return messages.get();
    }

    /** Payload bytes sent so far. */
    public long bytes() {
        return bytes.get();
    }

    @Override
    public boolean connected() {
        return true;
    }

    @Override
    public String describe() {
        return "discard";
    }

    @Override
    public void close() {
    }
}
