package io.edgewatch.health;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Locale;

/**
 * All doctor results of one run.
 *
 * @param device device id from the configuration
 * @param passed true when no check has status {@link CheckStatus#FAIL}
 * @param checks results in the order they ran
 */
@RegisterForReflection
public record DoctorReport(String device, boolean passed, List<CheckResult> checks) {

    /** Builds a report; {@code passed} is derived from the results. */
    public static DoctorReport of(String device, List<CheckResult> checks) {
        return new DoctorReport(device, checks.stream().noneMatch(c -> c.status() == CheckStatus.FAIL), List.copyOf(checks));
    }

    /** Process exit code: 0 when passed, 1 when any check failed. */
    public int exitCode() {
        return passed ? 0 : 1;
    }

    /** The readable checklist, one line per check and a last line with the verdict. */
    public String toText() {
        StringBuilder b = new StringBuilder("edgewatch doctor, device ").append(device).append('\n');
        int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(10);
        for (CheckResult c : checks) {
            b.append(String.format(Locale.ROOT, "  [%-4s] %-" + width + "s  %s (%d ms)%n", c.status(), c.name(), c.detail(), c.durationMs()));
        }
        long failed = checks.stream().filter(c -> c.status() == CheckStatus.FAIL).count();
        long warned = checks.stream().filter(c -> c.status() == CheckStatus.WARN).count();
        b.append(passed ? "PASSED" : "FAILED").append(": ").append(checks.size()).append(" checks, ")
                .append(failed).append(" failed, ").append(warned).append(" warnings\n");
        return b.toString();
    }
}
