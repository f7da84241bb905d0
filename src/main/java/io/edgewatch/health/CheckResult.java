package io.edgewatch.health;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Result of one doctor check.
 *
 * @param name       what was checked, naming the culprit, e.g. {@code camera front} or {@code model ssd-mobilenet-v2-coco}
 * @param status     outcome
 * @param detail     one line for a human: what was found, or what is wrong and where (file, key, URL)
 * @param durationMs wall-clock time the check took, ms
 */
@RegisterForReflection
public record CheckResult(String name, CheckStatus status, String detail, long durationMs) {

    /** A passed check. */
    public static CheckResult ok(String name, String detail, long durationMs) {
        return new CheckResult(name, CheckStatus.OK, detail, durationMs);
    }

    /** A check that passed with something an installer should look at (e.g. a delegate fell back to the CPU). */
    public static CheckResult warn(String name, String detail, long durationMs) {
        return new CheckResult(name, CheckStatus.WARN, detail, durationMs);
    }

    /** A failed check. */
    public static CheckResult fail(String name, String detail, long durationMs) {
        return new CheckResult(name, CheckStatus.FAIL, detail, durationMs);
    }
}
