package io.edgewatch.testsupport;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI for TLS tests, made at test time with the openssl command line (Debian package openssl, which
 * {@code .ci/run} installs): a CA ({@code CN=edgewatch test CA}, P-256) and server certificates that it signs, or
 * self-signed ones, each as PEM files and a PKCS#12 key store with a server {@link SSLContext}.
 */
public final class TestPki {
    /** Password of every PKCS#12 store made here. */
    private static final String PASS = "changeit";
    private static final DateTimeFormatter ASN1_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final Path caPem;
    private final Path caKey;

    private TestPki(Path dir) {
        this.dir = dir;
        this.caPem = dir.resolve("ca.pem");
        this.caKey = dir.resolve("ca.key");
    }

    /** A server certificate: PEM certificate and key, and a PKCS#12 store holding both with the issuer's certificate. */
    public record Server(Path certPem, Path keyPem, Path p12) {
        /** A TLS server context presenting this certificate (JDK TLS). */
        public SSLContext context() {
            try (InputStream in = Files.newInputStream(p12)) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(in, PASS.toCharArray());
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, PASS.toCharArray());
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), null, null);
                return ctx;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot load " + p12 + ": " + e.getMessage(), e);
            }
        }
    }

    /** Creates the CA in {@code dir} (valid from a day ago for three days). */
    public static TestPki create(Path dir) throws IOException, InterruptedException {
        TestPki pki = new TestPki(dir);
        pki.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key",
                "-out", "ca.pem", "-days", "3", "-subj", "/CN=edgewatch test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("serial.txt"), "1000\n");
        Files.writeString(dir.resolve("ca.cnf"), String.join("\n", "[ca]", "default_ca = test", "[test]", "database = index.txt",
                "new_certs_dir = .", "serial = serial.txt", "default_md = sha256", "policy = any", "unique_subject = no",
                "copy_extensions = none", "[any]", "commonName = supplied", ""));
        return pki;
    }

    /** The CA certificate (PEM), what {@code ca-file} names. */
    public Path caPem() {
        return caPem;
    }

    /** A certificate signed by the CA, valid from a day ago to a day from now. */
    public Server issue(String name, String subjectAltNames) throws IOException, InterruptedException {
        Instant now = Instant.now();
        return issue(name, subjectAltNames, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
    }

    /**
     * A certificate signed by the CA.
     *
     * @param subjectAltNames openssl syntax, e.g. {@code DNS:localhost,IP:127.0.0.1}
     */
    public Server issue(String name, String subjectAltNames, Instant notBefore, Instant notAfter) throws IOException, InterruptedException {
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name + ".key",
                "-out", name + ".csr", "-subj", "/CN=" + name);
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + subjectAltNames
                + "\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n");
        openssl("ca", "-batch", "-notext", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in", name + ".csr",
                "-out", name + ".pem", "-extfile", name + ".ext", "-startdate", ASN1_TIME.format(notBefore), "-enddate", ASN1_TIME.format(notAfter));
        return store(name, true);
    }

    /** A self-signed certificate (its own issuer), valid from now for two days. */
    public Server selfSigned(String name, String subjectAltNames) throws IOException, InterruptedException {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name + ".key",
                "-out", name + ".pem", "-days", "2", "-subj", "/CN=" + name, "-addext", "subjectAltName=" + subjectAltNames);
        return store(name, false);
    }

    private Server store(String name, boolean withCa) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("pkcs12", "-export", "-in", name + ".pem", "-inkey", name + ".key",
                "-out", name + ".p12", "-passout", "pass:" + PASS));
        if (withCa) {
            args.addAll(List.of("-certfile", "ca.pem"));
        }
        openssl(args.toArray(String[]::new));
        return new Server(dir.resolve(name + ".pem"), dir.resolve(name + ".key"), dir.resolve(name + ".p12"));
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("the openssl command is missing (Debian package openssl; .ci/run installs it)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
