package io.edgewatch.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.nio.file.Path;
import java.util.List;

/**
 * Settings of the {@code doctor} installation check, prefix {@code edgewatch.doctor}. Reference: README.md,
 * section "Installing on a device".
 */
@ConfigMapping(prefix = "edgewatch.doctor")
public interface DoctorConfig {

    /**
     * Folders holding the agent's state (event spool, gallery, audit log); each must exist, be writable and have
     * {@link #minFreeMb()} free. Default {@code .}: the state folder ({@code $STATE_DIRECTORY}, {@code /var/lib/edgewatch}
     * under systemd) or else the working directory; relative folders are taken against it ({@link StatePaths}).
     */
    @WithDefault(".")
    List<Path> stateDirs();

    /** {@link #stateDirs()} as checked: relative ones against {@code $STATE_DIRECTORY} when set. */
    default List<Path> resolvedStateDirs() {
        Path state = StatePaths.stateDirectory();
        return stateDirs().stream().map(d -> StatePaths.resolve(d, state)).toList();
    }

    /** Free space each state folder needs, MiB. */
    @WithDefault("256")
    @Min(0) @Max(10_000_000)
    long minFreeMb();

    /** Time allowed for the broker connection check, s. */
    @WithDefault("10")
    @Min(1) @Max(300)
    int brokerTimeoutS();
}
