package io.edgewatch.util;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the mode of files holding secrets (gallery key, MQTT password, TLS private key, HTTP access token): one that
 * group or others may read gets a warning naming the setting, the file and its mode (logged once per file). The
 * content is never read or logged here.
 */
public final class SecretFiles {
    private static final Logger LOG = Logger.getLogger(SecretFiles.class);
    private static final Set<Path> WARNED = ConcurrentHashMap.newKeySet();

    private SecretFiles() {
    }

    /**
     * The warning for a secret file readable (or writable) by group or others, or empty when it is private, absent,
     * or on a file system without POSIX modes.
     *
     * @param setting the configuration key or option that names the file, e.g. {@code edgewatch.faces.key-file}
     */
    public static Optional<String> openModeWarning(String setting, Path file) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
        boolean open = perms.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"));
        if (!open) {
            return Optional.empty();
        }
        return Optional.of(setting + " " + file + " holds a secret but has mode " + PosixFilePermissions.toString(perms)
                + ": other users may read it; make it readable by its owner only (chmod 600 " + file + ")");
    }

    /** Logs {@link #openModeWarning} once per file. */
    public static void warnIfOpen(String setting, Path file) {
        openModeWarning(setting, file).ifPresent(w -> {
            if (WARNED.add(file.toAbsolutePath().normalize())) {
                LOG.warn(w);
            }
        });
    }
}
