package io.edgewatch.capture;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Certificate checking of one camera's TLS connection ({@code rtsps://}, {@code https://} and {@code tls://} sources;
 * keys {@code edgewatch.cameras.<id>.tls-verify} and {@code .ca-file}).
 * <p>
 * With {@code verify} the agent makes the TLS connection itself (JDK TLS, see {@link TlsTunnel}): the certificate chain
 * must lead to a CA of {@code caFile}, or of the system trust store when it is empty (the first of
 * {@link #SYSTEM_BUNDLES} that exists, else the JDK's own {@code cacerts}), be valid now, and name the URL's host (DNS
 * name or IP address in the subject alternative names, RFC 2818 / RFC 6125). FFmpeg's own TLS (OpenSSL in the Bytedeco
 * build) is not used for it: it verifies nothing by default ({@code tls_verify=0}), finds no trust store of its own
 * (its OPENSSLDIR is the build machine's), and skips the host name check when the URL's host is an IP address.
 * Without {@code verify} FFmpeg connects directly and accepts any certificate.
 *
 * @param verify check chain, validity and host name (default); false = accept any certificate (warned once per camera)
 * @param caFile PEM file of the CA certificate(s) trusted for this camera instead of the system trust store; read at
 *               every connection, so a replaced file is used from the next reconnect
 */
public record CameraTls(boolean verify, Optional<Path> caFile) {
    /** The default: verified against the system trust store. */
    public static final CameraTls SYSTEM = new CameraTls(true, Optional.empty());

    /** PEM bundles of the operating system's trust store, in the order they are looked for (Debian/Ubuntu, RHEL/Fedora, Alpine). */
    public static final List<Path> SYSTEM_BUNDLES = List.of(Path.of("/etc/ssl/certs/ca-certificates.crt"),
            Path.of("/etc/pki/tls/certs/ca-bundle.crt"), Path.of("/etc/ssl/cert.pem"));

    public CameraTls {
        caFile = caFile == null ? Optional.empty() : caFile;
    }

    /** True for a source FFmpeg would open with TLS and the agent checks: {@code rtsps://}, {@code https://}, {@code tls://}. */
    public static boolean isTlsSource(String source) {
        String s = source == null ? "" : source.toLowerCase(Locale.ROOT);
        return s.startsWith("rtsps://") || s.startsWith("https://") || s.startsWith("tls://");
    }

    /**
     * Checks that {@code caFile}, when set and used ({@code verify}), can be read and holds at least one PEM certificate.
     *
     * @param cameraId the camera, named in the message
     * @throws IllegalArgumentException naming {@code edgewatch.cameras.<id>.ca-file} and the file otherwise
     */
    public void check(String cameraId) {
        if (verify && caFile.isPresent()) {
            readCertificates(caFile.get(), caFileKey(cameraId));
        }
    }

    /** {@code edgewatch.cameras.<id>.ca-file} */
    static String caFileKey(String cameraId) {
        return "edgewatch.cameras." + cameraId + ".ca-file";
    }

    /** What the certificate is checked against, for messages: the CA file and its key, or the system trust store. */
    String trustedDescription(String cameraId) {
        return caFile.map(f -> caFileKey(cameraId) + " " + f)
                .orElseGet(() -> "the system trust store " + systemTrust().source() + " (" + caFileKey(cameraId) + " names a private CA)");
    }

    /**
     * The trust manager of this camera: the CAs of {@code caFile} (read now), or the system trust store (read once).
     *
     * @throws IllegalArgumentException naming the key and file when the CA file cannot be used
     */
    X509ExtendedTrustManager trustManager(String cameraId) {
        if (caFile.isEmpty()) {
            return systemTrust().manager();
        }
        String key = caFileKey(cameraId);
        Path file = caFile.get();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (Certificate c : readCertificates(file, key)) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            return fromKeyStore(ks);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(key + ": cannot use " + file + ": " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> readCertificates(Path file, String key) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(key + ": CA file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(key + ": CA file " + file + " is not a readable file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(key + ": CA file " + file + " holds no PEM certificate");
            }
            return certs;
        } catch (CertificateException e) {
            throw new IllegalArgumentException(key + ": CA file " + file + " holds no readable PEM certificate: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(key + ": CA file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager fromKeyStore(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** The system trust store: where it was read from, and its trust manager. */
    private record SystemTrust(String source, X509ExtendedTrustManager manager) {
    }

    private static volatile SystemTrust system;

    /**
     * The system trust store, read on first use and kept.
     *
     * @throws IllegalStateException naming the bundle when it cannot be read
     */
    private static SystemTrust systemTrust() {
        SystemTrust s = system;
        if (s != null) {
            return s;
        }
        synchronized (CameraTls.class) {
            if (system == null) {
                Path bundle = SYSTEM_BUNDLES.stream().filter(Files::isReadable).findFirst().orElse(null);
                try {
                    if (bundle != null) {
                        KeyStore ks = KeyStore.getInstance("PKCS12");
                        ks.load(null, null);
                        int i = 0;
                        for (Certificate c : readCertificates(bundle, "system trust store")) {
                            ks.setCertificateEntry("ca" + i++, c);
                        }
                        system = new SystemTrust(bundle.toString(), fromKeyStore(ks));
                    } else {
                        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
                        tmf.init((KeyStore) null);
                        system = new SystemTrust("of the JDK (" + Path.of(System.getProperty("java.home"), "lib/security/cacerts") + ")",
                                (X509ExtendedTrustManager) tmf.getTrustManagers()[0]);
                    }
                } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
                    throw new IllegalStateException("cannot read the system trust store " + bundle + ": " + e.getMessage(), e);
                }
            }
            return system;
        }
    }
}
