package io.edgewatch.health;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Wrong-token limit of the status page's login form, per client address: after {@link #MAX_FAILURES} wrong tokens
 * within {@link #WINDOW_S} s, every login from that address (a right token too) is refused until the oldest of those
 * failures is {@link #WINDOW_S} s old. A right token otherwise clears the address's failures. The provisioned access
 * token is 256 random bits (systemd/provision.sh), so this is defence in depth against guessing a weaker one, and it
 * keeps a script from filling the log.
 * At most {@link #MAX_ADDRESSES} addresses are remembered (the one failing longest ago is forgotten first), so a
 * flood from many addresses cannot grow memory. Thread-safe.
 */
final class LoginThrottle {
    /** Wrong tokens allowed per address in one window. */
    static final int MAX_FAILURES = 5;
    /** Window length, s. */
    static final long WINDOW_S = 60;
    /** Addresses remembered at most. */
    static final int MAX_ADDRESSES = 1024;

    private final LongSupplier clockMs;
    /** Address to the times of its failures in the window, epoch ms, oldest first; insertion order = last failure. */
    private final Map<String, Deque<Long>> failures = new LinkedHashMap<>();

    /** @param clockMs the clock, epoch ms ({@code System::currentTimeMillis} in the agent) */
    LoginThrottle(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    /**
     * Seconds until {@code address} may try again, 0 when it may try now.
     *
     * @param address the client's IP address as text
     */
    synchronized long retryAfterS(String address) {
        Deque<Long> d = window(address);
        if (d == null || d.size() < MAX_FAILURES) {
            return 0;
        }
        long waitMs = d.peekFirst() + WINDOW_S * 1000 - clockMs.getAsLong();
        return Math.max(1, (waitMs + 999) / 1000);
    }

    /** Books a wrong token from {@code address}. */
    synchronized void failed(String address) {
        Deque<Long> d = window(address);
        if (d == null) {
            if (failures.size() >= MAX_ADDRESSES) {
                forgetOldest();
            }
            d = new ArrayDeque<>();
        } else {
            failures.remove(address); // re-inserted below: the map's order is that of the last failure
        }
        d.addLast(clockMs.getAsLong());
        while (d.size() > MAX_FAILURES) {
            d.removeFirst();
        }
        failures.put(address, d);
    }

    /** Clears the failures of {@code address} (a right token). */
    synchronized void succeeded(String address) {
        failures.remove(address);
    }

    /** Addresses currently remembered (tests). */
    synchronized int addresses() {
        return failures.size();
    }

    /** The address's failures still inside the window, or null when none is. */
    private Deque<Long> window(String address) {
        Deque<Long> d = failures.get(address);
        if (d == null) {
            return null;
        }
        long oldest = clockMs.getAsLong() - WINDOW_S * 1000;
        while (!d.isEmpty() && d.peekFirst() <= oldest) {
            d.removeFirst();
        }
        if (d.isEmpty()) {
            failures.remove(address);
            return null;
        }
        return d;
    }

    private void forgetOldest() {
        Iterator<String> it = failures.keySet().iterator();
        if (it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
