package io.edgewatch.config;

import java.nio.file.Path;

/**
 * Where relative state paths (event spool, face gallery, audit log, doctor's state folders) live. Under systemd the
 * working directory is the read-only install folder ({@code /opt/edgewatch}), so that nothing the agent can write
 * (a planted {@code config/application.properties} or {@code .env}, which Quarkus reads from the working directory)
 * is read at the next start; state goes to {@code $STATE_DIRECTORY} ({@code StateDirectory=}, {@code /var/lib/edgewatch}).
 * Elsewhere (development, tests) relative paths stay relative to the working directory.
 */
public final class StatePaths {
    /** systemd's variable naming the unit's state folders (colon-separated; the first is used). */
    public static final String ENV = "STATE_DIRECTORY";

    private StatePaths() {
    }

    /** The state folder from {@code $STATE_DIRECTORY}, or null when it is not set. */
    public static Path stateDirectory() {
        return stateDirectory(System.getenv(ENV));
    }

    /**
     * The state folder named by a {@code STATE_DIRECTORY} value.
     *
     * @param env the variable's value (may be null or blank; several folders separated by {@code :})
     * @return the first folder, or null when none is named
     */
    public static Path stateDirectory(String env) {
        if (env == null || env.isBlank()) {
            return null;
        }
        String first = env.split(":")[0].trim();
        return first.isEmpty() ? null : Path.of(first);
    }

    /** {@link #resolve(Path, Path)} against {@link #stateDirectory()}. */
    public static Path resolve(Path p) {
        return resolve(p, stateDirectory());
    }

    /**
     * A state path as used: absolute as given; relative against the state folder when there is one, otherwise as
     * given (relative to the working directory).
     */
    public static Path resolve(Path p, Path stateDirectory) {
        if (p.isAbsolute() || stateDirectory == null) {
            return p;
        }
        return stateDirectory.resolve(p).normalize();
    }
}
