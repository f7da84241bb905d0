package io.edgewatch.health;

import io.edgewatch.config.HttpConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Doctor check {@code http access}: what listens where and who may read it. FAIL when
 * {@code edgewatch.http.token-file} is set but unusable (the agent would not start); WARN when it is unset (health
 * details and metrics are refused to every caller), readable by group or others, or a systemd credential under
 * {@code /run/credentials} checked outside the service (it exists only while the service runs); OK otherwise, naming
 * the listeners.
 */
@ApplicationScoped
public class HttpAccessDoctorCheck implements DoctorCheck {
    /** Where systemd puts a service's credentials ({@code LoadCredential=}), only while the service runs. */
    static final Path SYSTEMD_CREDENTIALS = Path.of("/run/credentials");
    private final HttpConfig config;
    private final int httpPort;
    private final int managementPort;

    public HttpAccessDoctorCheck(HttpConfig config, @ConfigProperty(name = "quarkus.http.port") int httpPort,
                                 @ConfigProperty(name = "quarkus.management.port") int managementPort) {
        this.config = config;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    @Override
    public List<CheckResult> run() {
        return check(config.tokenFile(), config.bind(), httpPort, managementPort);
    }

    /**
     * The check for a token file and listeners.
     *
     * @param file           {@code edgewatch.http.token-file}, empty when unset
     * @param bind           {@code edgewatch.http.bind}
     * @param httpPort       the HTTP port ({@code /transparency})
     * @param managementPort the management port (health, metrics)
     */
    static List<CheckResult> check(Optional<Path> file, String bind, int httpPort, int managementPort) {
        long t0 = System.nanoTime();
        String where = (bind.equals("0.0.0.0") || bind.equals("::") ? "all interfaces" : bind)
                + ": health and metrics on port " + managementPort + ", /transparency (public) on port " + httpPort;
        if (file.isEmpty()) {
            return List.of(CheckResult.warn("http access", "edgewatch.http.token-file is not set: every caller gets only UP/DOWN,"
                    + " no caller gets health details or metrics (install.sh creates the credential http-token); " + where, ms(t0)));
        }
        if (file.get().startsWith(SYSTEMD_CREDENTIALS) && !Files.exists(file.get()) && System.getenv("CREDENTIALS_DIRECTORY") == null) {
            // the unit's LoadCredential= puts it there only while edgewatch.service runs: doctor run from a shell
            // (sudo -u edgewatch edgewatch doctor, before the first start) cannot see it, which is no fault
            return List.of(CheckResult.warn("http access", "edgewatch.http.token-file " + file.get() + " is a systemd credential,"
                    + " present only while edgewatch.service runs, so not checked here (the unit loads it with LoadCredential=;"
                    + " the agent refuses to start when it is unusable, see systemctl status edgewatch); " + where, ms(t0)));
        }
        try {
            ManagementAccess.readToken(file);
        } catch (IllegalArgumentException e) {
            return List.of(CheckResult.fail("http access", e.getMessage() + " (the agent will not start)", ms(t0)));
        }
        String detail = "details and metrics need Authorization: Bearer <token of " + file.get() + ">; " + where;
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file.get());
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                return List.of(CheckResult.warn("http access", "edgewatch.http.token-file " + file.get()
                        + " is readable by group or others (chmod 600); " + detail, ms(t0)));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // permissions unknown (not a POSIX file system): nothing to warn about
        }
        return List.of(CheckResult.ok("http access", detail, ms(t0)));
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
