package io.edgewatch.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Who may read what over HTTP, prefix {@code edgewatch.http} (README "Security"). Health and metrics are served on
 * Quarkus' management interface ({@code quarkus.management.port}, 9000); {@code /transparency} on the main port
 * ({@code quarkus.http.port}, 8080).
 */
@ConfigMapping(prefix = "edgewatch.http")
public interface HttpConfig {
    /**
     * File holding the access token (a systemd credential; surrounding white space ignored, at least 16
     * characters). A caller presenting {@code Authorization: Bearer <token>} gets health details and metrics; any
     * other caller only the overall {@code UP}/{@code DOWN} of {@code /q/health}, {@code /live}, {@code /ready} and
     * {@code /started}. Unset: no caller gets details or metrics (a warning at start-up).
     */
    Optional<Path> tokenFile();

    /**
     * Address both listeners (main and management) bind to, e.g. {@code 127.0.0.1} for loopback only; applied
     * through {@code quarkus.http.host} and {@code quarkus.management.host} in {@code application.properties}.
     */
    @WithDefault("0.0.0.0")
    @Pattern(regexp = "[0-9A-Za-z.:_%-]{1,253}", message = "must be an IP address or a host name, e.g. 127.0.0.1 or 0.0.0.0, was '${validatedValue}'")
    String bind();
}
