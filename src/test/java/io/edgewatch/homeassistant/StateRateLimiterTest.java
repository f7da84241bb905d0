package io.edgewatch.homeassistant;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-entity publish limit, with the time passed in (no clock, no sleep). */
class StateRateLimiterTest {
    private static Map<String, String> values(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void firstValueAtOnceThenOnlyChangesAtMostOncePerInterval() {
        StateRateLimiter l = new StateRateLimiter(1_000);
        assertThat(l.round(values("a", "0", "b", "OFF"), 0)).containsExactly(
                new StateRateLimiter.Update("a", "0"), new StateRateLimiter.Update("b", "OFF"));
        assertThat(l.round(values("a", "0", "b", "OFF"), 200)).as("unchanged").isEmpty();
        assertThat(l.round(values("a", "1", "b", "OFF"), 400)).as("changed within the interval: held back").isEmpty();
        assertThat(l.nextDueMs()).isEqualTo(1_000);
        assertThat(l.round(values("a", "2", "b", "OFF"), 800)).isEmpty();
        // the interval has passed: the latest value (not the first change) goes out
        assertThat(l.round(values("a", "2", "b", "OFF"), 1_000)).containsExactly(new StateRateLimiter.Update("a", "2"));
        assertThat(l.nextDueMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(l.sent("a")).isEqualTo("2");
        // a change long after the last publish goes out at once
        assertThat(l.round(values("a", "3"), 5_000)).containsExactly(new StateRateLimiter.Update("a", "3"));
        // topics are limited independently
        assertThat(l.round(values("a", "4", "b", "ON"), 5_100)).containsExactly(new StateRateLimiter.Update("b", "ON"));
        assertThat(l.round(values("a", "4", "b", "ON"), 6_000)).containsExactly(new StateRateLimiter.Update("a", "4"));
    }

    @Test
    void aValueBackToTheOneSentIsNotSentAgain() {
        StateRateLimiter l = new StateRateLimiter(1_000);
        l.round(values("a", "ON"), 0);
        assertThat(l.round(values("a", "OFF"), 100)).isEmpty();
        assertThat(l.round(values("a", "ON"), 300)).isEmpty();
        assertThat(l.nextDueMs()).as("nothing held back").isEqualTo(Long.MAX_VALUE);
        assertThat(l.round(values("a", "ON"), 1_500)).isEmpty();
    }

    @Test
    void aValueChangingEveryRoundGoesOutOncePerInterval() {
        StateRateLimiter l = new StateRateLimiter(1_000);
        int sent = 0;
        for (long t = 0; t < 60_000; t += 200) { // a value that changes in every 200 ms round for a minute
            List<StateRateLimiter.Update> u = l.round(values("fps", Long.toString(t)), t);
            sent += u.size();
        }
        assertThat(sent).isEqualTo(60);
    }

    @Test
    void negativeIntervalIsRefused() {
        assertThatThrownBy(() -> new StateRateLimiter(-1)).hasMessageContaining("minIntervalMs must be >= 0, was -1");
    }
}
