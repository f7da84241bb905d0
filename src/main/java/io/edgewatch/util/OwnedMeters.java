package io.edgewatch.util;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;

/**
 * The meters one component registered, so it can remove them when it stops: Micrometer hands an existing meter back
 * to a later registration with the same name and tags, and a gauge would then keep reading a stopped component (the
 * agent started again in one process, with the same camera or detector ids). Thread-safe.
 */
public final class OwnedMeters {
    private final List<Meter> meters = new ArrayList<>();
    private MeterRegistry registry;

    /** Remembers {@code meter}, registered in {@code registry}; returns it. */
    public synchronized <M extends Meter> M keep(MeterRegistry registry, M meter) {
        this.registry = registry;
        meters.add(meter);
        return meter;
    }

    /** Removes every remembered meter from its registry. Idempotent. */
    public synchronized void removeAll() {
        if (registry != null) {
            meters.forEach(registry::remove);
        }
        meters.clear();
        registry = null;
    }
}
