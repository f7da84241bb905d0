package io.edgewatch.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Store-and-forward of MQTT events, prefix {@code edgewatch.spool} (README "Event delivery"). Only used when a
 * broker is configured.
 */
@ConfigMapping(prefix = "edgewatch.spool")
public interface SpoolConfig {
    /**
     * Directory of the spool file {@code events.mv.db}. Unset: {@code $STATE_DIRECTORY} (systemd's
     * {@code StateDirectory=}) when set, otherwise {@code spool} in the working directory. A relative value is
     * taken against {@code $STATE_DIRECTORY} when that is set ({@link StatePaths}).
     */
    Optional<Path> dir();

    /** Size bound of the pending events, bytes (64 MiB). */
    @WithDefault("67108864")
    @Min(4096) @Max(1L << 40)
    long maxBytes();

    /** Pending events older than this are dropped, seconds (7 days). */
    @WithDefault("604800")
    @Min(1) @Max(31_536_000)
    long maxAgeS();

    /** Force every spooled event to the storage device (survives power loss; wears flash). */
    @WithDefault("false")
    @WithConverter(StrictBooleanConverter.class)
    boolean fsync();

    /** QoS 1 publishes awaiting PUBACK at once (also capped by the broker's Receive Maximum). */
    @WithDefault("16")
    @Min(1) @Max(65535)
    int inflightWindow();

    /** First delay after a failed broker connect, ms (doubled per failure, +-20 % jitter). */
    @WithDefault("500")
    @Min(10) @Max(600_000)
    long reconnectMinMs();

    /** Cap of the broker connect delay, ms. */
    @WithDefault("30000")
    @Min(100) @Max(3_600_000)
    long reconnectMaxMs();

    /** The spool directory after defaults: {@code dir} ({@link StatePaths#resolve}), else {@code $STATE_DIRECTORY}, else {@code ./spool}. */
    default Path resolvedDir() {
        Path state = StatePaths.stateDirectory();
        return dir().map(d -> StatePaths.resolve(d, state)).orElse(state != null ? state : Path.of("spool"));
    }
}
