package io.edgewatch.health;

import java.util.List;

/**
 * A check contributed by another package (e.g. each configured NPU delegate loads, the face gallery opens). Make
 * the implementation an {@code @ApplicationScoped} bean: the {@code doctor} command runs every bean of this type
 * after its own checks. Implementations must not throw; a problem is a {@link CheckStatus#FAIL} result naming the
 * key, file or device.
 */
public interface DoctorCheck {

    /** Runs the check; an empty list when it does not apply to the configuration. */
    List<CheckResult> run();
}
