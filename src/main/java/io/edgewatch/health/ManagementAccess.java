package io.edgewatch.health;

import io.edgewatch.config.HttpConfig;
import io.quarkus.vertx.http.ManagementInterface;
import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.function.Function;

/**
 * "Details when authorized" on Quarkus' management interface (health and metrics): a route filter that runs
 * before the health and Prometheus handlers. A request with {@code Authorization: Bearer <token>} matching
 * {@code edgewatch.http.token-file} (compared in constant time) passes to them unchanged. Without an
 * {@code Authorization} header, {@code /q/health}, {@code /q/health/live}, {@code /ready} and {@code /started}
 * answer only the overall status ({@code {"status":"UP"}} 200 or {@code {"status":"DOWN"}} 503: enough for a
 * container HEALTHCHECK or a load balancer, and naming no camera, zone or error); every other management path
 * ({@code /q/metrics}, health groups) and any wrong token get 401 with {@code WWW-Authenticate: Bearer}. The
 * status page ({@link StatusPage}: {@code /}, {@code /login}, {@code /logout}) applies the same token itself, from the
 * header or from a session cookie its login form sets.
 */
@ApplicationScoped
public class ManagementAccess {
    private static final Logger LOG = Logger.getLogger(ManagementAccess.class);
    /** Shortest token accepted, characters. */
    static final int MIN_TOKEN_LENGTH = 16;

    private final HttpConfig config;
    private final SmallRyeHealthReporter reporter;
    private volatile byte[] tokenHash;
    private volatile String startupError;

    private final boolean serving;

    /**
     * @param serving {@code quarkus.management.host-enabled}: false for the commands other than {@code run}
     *                ({@code cli.Main}), which serve nothing and must not fail on a bad token file ({@code doctor}
     *                reports it)
     */
    public ManagementAccess(HttpConfig config, SmallRyeHealthReporter reporter,
                            @ConfigProperty(name = "quarkus.management.host-enabled", defaultValue = "true") boolean serving) {
        this.config = config;
        this.reporter = reporter;
        this.serving = serving;
    }

    /**
     * Installs the filter on the management router; reads the token file once. An unusable token file does not throw
     * here (Quarkus would print its own stack trace around the message): every request stays refused, and
     * {@link #startupError()} carries the message, which {@code run} prints before it exits with 1.
     */
    void install(@Observes ManagementInterface management) {
        management.router().route().order(Integer.MIN_VALUE + 1).handler(this::filter);
        if (!serving) {
            return; // nothing listens: every request would be refused anyway (tokenHash stays null)
        }
        Optional<String> token;
        try {
            token = readToken(config.tokenFile());
        } catch (IllegalArgumentException e) {
            startupError = e.getMessage();
            return; // tokenHash stays null: details, metrics and the status page are refused to everybody
        }
        tokenHash = token.map(ManagementAccess::sha256).orElse(null);
        if (token.isEmpty()) {
            LOG.warn("edgewatch.http.token-file is not set: health answers only UP/DOWN and metrics are refused to every caller;"
                    + " create a token file and set the key to read details (README \"Security\")");
        }
    }

    /**
     * Why the token file could not be used at start-up (key, file and reason), or null when it could (or is unset,
     * or nothing is served).
     */
    public String startupError() {
        return startupError;
    }

    /**
     * The token of {@code edgewatch.http.token-file}, stripped, or empty when the key is unset.
     *
     * @throws IllegalArgumentException naming the key and file when it cannot be read or is too short
     */
    public static Optional<String> readToken(Optional<Path> file) {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        String t;
        try {
            t = Files.readString(file.get(), StandardCharsets.UTF_8).strip();
            io.edgewatch.util.SecretFiles.warnIfOpen("edgewatch.http.token-file", file.get());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("edgewatch.http.token-file " + file.get() + " cannot be read: " + e, e);
        }
        if (t.length() < MIN_TOKEN_LENGTH || t.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("edgewatch.http.token-file " + file.get() + " must hold one token of at least "
                    + MIN_TOKEN_LENGTH + " printable ASCII characters without spaces (e.g. openssl rand -hex 32)");
        }
        return Optional.of(t);
    }

    private void filter(RoutingContext ctx) {
        String auth = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (auth == null && StatusPage.PATHS.contains(ctx.normalizedPath())) {
            ctx.next(); // the status page and its login form decide themselves (bearer header or session cookie)
            return;
        }
        if (auth != null) {
            if (authorized(auth)) {
                ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
                ctx.next();
            } else {
                refuse(ctx, tokenHash == null ? "no access token is configured on this device (edgewatch.http.token-file)"
                        : "wrong access token");
            }
            return;
        }
        Function<SmallRyeHealthReporter, SmallRyeHealth> status = statusOf(ctx.normalizedPath());
        if (status == null) {
            refuse(ctx, "this endpoint needs Authorization: Bearer <token> (edgewatch.http.token-file)");
            return;
        }
        ctx.vertx().executeBlocking(() -> status.apply(reporter).isDown(), false).onComplete(r -> {
            boolean down = r.failed() || r.result();
            ctx.response().setStatusCode(down ? 503 : 200)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=UTF-8")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end(down ? "{\"status\":\"DOWN\"}" : "{\"status\":\"UP\"}");
        });
    }

    /** The overall status an anonymous caller may read at this path, or null when the path needs the token. */
    private static Function<SmallRyeHealthReporter, SmallRyeHealth> statusOf(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return switch (p) {
            case "/q/health" -> SmallRyeHealthReporter::getHealth;
            case "/q/health/live" -> SmallRyeHealthReporter::getLiveness;
            case "/q/health/ready" -> SmallRyeHealthReporter::getReadiness;
            case "/q/health/started" -> SmallRyeHealthReporter::getStartup;
            default -> null;
        };
    }

    /**
     * Whether {@code token} is the configured access token (constant time); false when none is configured.
     */
    boolean tokenMatches(String token) {
        byte[] expected = tokenHash;
        return expected != null && token != null && MessageDigest.isEqual(expected, sha256(token.strip()));
    }

    /** Whether an {@code Authorization} header value is {@code Bearer <the access token>}. */
    boolean authorized(String header) {
        byte[] expected = tokenHash;
        if (expected == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // both sides hashed to 32 bytes first, so the comparison time depends on neither length nor content
        return MessageDigest.isEqual(expected, sha256(header.substring(7).strip()));
    }

    private static void refuse(RoutingContext ctx, String why) {
        ctx.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"edgewatch\"")
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=UTF-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(why + "\n");
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
