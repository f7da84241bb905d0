package io.edgewatch.homeassistant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-topic publish limit of the state topics: a value goes out when it differs from the one last sent, at most once
 * per {@code minIntervalMs} per topic; a change inside the interval waits and goes out when the interval has passed
 * (trailing publish: the last value always goes out), unless the value has returned to the one last sent. The first
 * value of a topic goes out at once. Time is passed in (epoch or monotonic ms). Not thread-safe.
 */
public final class StateRateLimiter {
    /** One publish due. */
    public record Update(String topic, String value) {
    }

    private static final class State {
        String sent;
        long sentMs;
        String pending;
    }

    private final long minIntervalMs;
    private final Map<String, State> states = new HashMap<>();

    /** @param minIntervalMs least time between two publishes of one topic, ms (&gt;= 0) */
    public StateRateLimiter(long minIntervalMs) {
        if (minIntervalMs < 0) {
            throw new IllegalArgumentException("minIntervalMs must be >= 0, was " + minIntervalMs);
        }
        this.minIntervalMs = minIntervalMs;
    }

    /**
     * One sampling round.
     *
     * @param latest current value per topic (topics absent are left as they are)
     * @param nowMs  time of the round, ms
     * @return the publishes due now, in the order of {@code latest}
     */
    public List<Update> round(Map<String, String> latest, long nowMs) {
        List<Update> out = new ArrayList<>();
        latest.forEach((topic, v) -> {
            State s = states.get(topic);
            if (s == null) {
                s = new State();
                states.put(topic, s);
                send(s, topic, v, nowMs, out);
            } else if (v.equals(s.sent)) {
                s.pending = null;
            } else if (nowMs - s.sentMs >= minIntervalMs) {
                send(s, topic, v, nowMs, out);
            } else {
                s.pending = v;
            }
        });
        return out;
    }

    private static void send(State s, String topic, String v, long nowMs, List<Update> out) {
        s.sent = v;
        s.sentMs = nowMs;
        s.pending = null;
        out.add(new Update(topic, v));
    }

    /** Earliest time a held-back value is due, ms, or {@code Long.MAX_VALUE} when nothing is held back. */
    public long nextDueMs() {
        long due = Long.MAX_VALUE;
        for (State s : states.values()) {
            if (s.pending != null) {
                due = Math.min(due, s.sentMs + minIntervalMs);
            }
        }
        return due;
    }

    /** The value last sent on a topic, or null. */
    public String sent(String topic) {
        State s = states.get(topic);
        return s == null ? null : s.sent;
    }
}
