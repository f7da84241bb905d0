package io.edgewatch.health;

import io.edgewatch.util.AotCache;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Doctor check {@code aot cache}: OK when the JVM runs from the AOT cache the launcher passed, WARN when one was
 * passed but the JVM ignored it (stale, or made by another JVM: the agent works, start-up is slower), OK with a hint
 * when none is installed. The doctor runs in the same JVM set-up as the agent (the same launcher), so what it
 * reports is what {@code run} gets.
 */
@ApplicationScoped
public class AotCacheDoctorCheck implements DoctorCheck {

    @Override
    public List<CheckResult> run() {
        long t0 = System.nanoTime();
        AotCache cache = AotCache.current();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        boolean ignored = cache.requestedPath().isPresent() && !cache.inUse();
        return List.of(ignored ? CheckResult.warn("aot cache", cache.describe(), ms) : CheckResult.ok("aot cache", cache.describe(), ms));
    }
}
