package io.edgewatch.health;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LoginThrottle} on a hand-moved clock: the limit, the window, the reset by a right token, the address bound. */
class LoginThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LoginThrottle t = new LoginThrottle(now::get);

    @Test
    void fiveWrongTokensAMinuteThenRefusedUntilTheOldestIsAMinuteOld() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            assertThat(t.retryAfterS("10.0.0.7")).as("attempt %d", i + 1).isZero();
            t.failed("10.0.0.7");
            now.addAndGet(2_000); // one every 2 s: the first at 0 s, the fifth at 8 s
        }
        // at 10 s: locked until the first failure is 60 s old, 50 s from now
        assertThat(t.retryAfterS("10.0.0.7")).isEqualTo(50);
        assertThat(t.retryAfterS("10.0.0.8")).as("another address").isZero();
        now.addAndGet(49_500);
        assertThat(t.retryAfterS("10.0.0.7")).isEqualTo(1);
        now.addAndGet(500); // 60 s after the first failure: four are left in the window
        assertThat(t.retryAfterS("10.0.0.7")).isZero();
        t.failed("10.0.0.7"); // the fifth in the window again: locked until the second failure is 60 s old (2 s)
        assertThat(t.retryAfterS("10.0.0.7")).isEqualTo(2);
    }

    @Test
    void aRightTokenClearsTheFailures() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
            t.failed("fe80::1");
        }
        t.succeeded("fe80::1");
        t.failed("fe80::1");
        assertThat(t.retryAfterS("fe80::1")).isZero();
        assertThat(t.addresses()).isEqualTo(1);
        now.addAndGet(LoginThrottle.WINDOW_S * 1000);
        assertThat(t.retryAfterS("fe80::1")).isZero();
        assertThat(t.addresses()).as("an address whose failures left the window is forgotten").isZero();
    }

    @Test
    void atMostMaxAddressesAreRememberedTheLongestQuietFirstForgotten() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            t.failed("attacker");
        }
        for (int i = 0; i < LoginThrottle.MAX_ADDRESSES - 1; i++) {
            t.failed("10.1." + (i / 256) + "." + (i % 256));
        }
        assertThat(t.addresses()).isEqualTo(LoginThrottle.MAX_ADDRESSES);
        assertThat(t.retryAfterS("attacker")).isPositive();
        t.failed("one-more");
        assertThat(t.addresses()).isEqualTo(LoginThrottle.MAX_ADDRESSES);
        assertThat(t.retryAfterS("attacker")).as("the address failing longest ago was forgotten").isZero();
    }
}
