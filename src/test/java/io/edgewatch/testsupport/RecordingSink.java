package io.edgewatch.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.events.EventSink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An event sink that keeps every message, parsed (a real sink of the pipeline, like standard output). */
public class RecordingSink implements EventSink {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Topics in the order sent; guard with {@code synchronized (sink)} while the pipeline runs. */
    public final List<String> topics = new ArrayList<>();
    /** Payloads in the order sent. */
    public final List<JsonNode> payloads = new ArrayList<>();

    @Override
    public synchronized void send(String topic, byte[] payload, boolean retained) {
        topics.add(topic);
        try {
            payloads.add(MAPPER.readTree(new String(payload, StandardCharsets.UTF_8)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean connected() {
        return true;
    }

    @Override
    public String describe() {
        return "recording";
    }

    @Override
    public void close() {
    }
}
