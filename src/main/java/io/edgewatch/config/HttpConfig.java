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
    // digits and dots only: a dotted IPv4 address of four numbers 0..255 (999.1.1.1 failed later, in the HTTP server,
    // without naming the key); anything else: an IPv6 literal or a host name
    @Pattern(regexp = "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
            + "|(?=.*[A-Za-z:%_-])[0-9A-Za-z.:_%-]{1,253}",
            message = "must be an IP address or a host name, e.g. 127.0.0.1 or 0.0.0.0, was '${validatedValue}'")
    String bind();
}
