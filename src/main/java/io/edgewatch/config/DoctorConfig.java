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
     * {@link #minFreeMb()} free. Default: the working directory, which the systemd unit sets to the
     * {@code StateDirectory} ({@code /var/lib/edgewatch}).
     */
    @WithDefault(".")
    List<Path> stateDirs();

    /** Free space each state folder needs, MiB. */
    @WithDefault("256")
    @Min(0) @Max(10_000_000)
    long minFreeMb();

    /** Time allowed for the broker connection check, s. */
    @WithDefault("10")
    @Min(1) @Max(300)
    int brokerTimeoutS();
}
