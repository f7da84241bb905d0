package io.edgewatch.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Assigns the per-agent sequence number, serializes events to JSON and hands them to the {@link EventSink} on
 * topic {@code <prefix>/<device>/<camera>/events}, in sequence order. Thread-safe: cameras publish concurrently.
 */
public final class EventPublisher {
    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final EventSink sink;
    private final ObjectMapper mapper;
    private final String topicPrefix;
    private long seq;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong maxPayloadBytes = new AtomicLong();

    /**
     * @param topicPrefix first topic level, {@code edgewatch} by default
     * @param firstSeq    sequence number of the first event (1 for a fresh agent)
     */
    public EventPublisher(EventSink sink, ObjectMapper mapper, String topicPrefix, long firstSeq) {
        this.sink = sink;
        this.mapper = mapper;
        this.topicPrefix = topicPrefix;
        this.seq = firstSeq - 1;
    }

    /** Topic of a camera's track events. */
    public String eventsTopic(String device, String camera) {
        return topicPrefix + "/" + device + "/" + camera + "/events";
    }

    /**
     * Publishes events in order, numbering them.
     *
     * @return the events as sent, with their sequence numbers
     */
    public synchronized List<TrackEvent> publish(List<TrackEvent> events) {
        if (events.isEmpty()) {
            return events;
        }
        TrackEvent[] sent = new TrackEvent[events.size()];
        for (int i = 0; i < sent.length; i++) {
            TrackEvent e = events.get(i).withSeq(++seq);
            sent[i] = e;
            byte[] payload;
            try {
                payload = mapper.writeValueAsBytes(e);
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("cannot serialize event " + e.seq(), ex);
            }
            maxPayloadBytes.accumulateAndGet(payload.length, Math::max);
            try {
                sink.sendEvent(e.seq(), eventsTopic(e.device(), e.camera()), payload);
                published.incrementAndGet();
            } catch (EventSink.SinkException ex) {
                failed.incrementAndGet();
                LOG.warnf("event seq %d not delivered: %s", e.seq(), ex.getMessage());
            }
        }
        return List.of(sent);
    }

    /** Sequence number of the last event numbered. */
    public synchronized long lastSeq() {
        return seq;
    }

    /** Events handed to the sink successfully. */
    public long published() {
        return published.get();
    }

    /** Events the sink refused. */
    public long failed() {
        return failed.get();
    }

    /** Largest payload so far, bytes. */
    public long maxPayloadBytes() {
        return maxPayloadBytes.get();
    }

    public EventSink sink() {
        return sink;
    }
}
