package io.edgewatch.mqtt;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;

/** Builds an {@link SSLSocketFactory} from PEM files (CA certificates, client certificate, PKCS#8 key). */
final class TlsSupport {
    private TlsSupport() {
    }

    /**
     * @throws IllegalArgumentException naming the file when one cannot be read or parsed
     */
    static SSLSocketFactory socketFactory(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile) {
        try {
            TrustManagerFactory tmf = null;
            if (caFile.isPresent()) {
                KeyStore ts = KeyStore.getInstance(KeyStore.getDefaultType());
                ts.load(null, null);
                int i = 0;
                for (Certificate c : certificates("edgewatch.mqtt.ca-file", caFile.get())) {
                    ts.setCertificateEntry("ca" + i++, c);
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
            }
            KeyManagerFactory kmf = null;
            if (certFile.isPresent() != keyFile.isPresent()) {
                throw new IllegalArgumentException("edgewatch.mqtt.cert-file and edgewatch.mqtt.key-file must be set together");
            }
            if (certFile.isPresent()) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                Collection<? extends Certificate> chain = certificates("edgewatch.mqtt.cert-file", certFile.get());
                ks.setKeyEntry("client", privateKey(keyFile.get()), new char[0], chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("MQTT TLS set-up failed (edgewatch.mqtt.ca-file, cert-file, key-file): " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(String key, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> c = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (c.isEmpty()) {
                throw new IllegalArgumentException(key + ": no PEM certificate in " + file);
            }
            return c;
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException(key + ": cannot parse certificate file " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(key + ": " + unreadable(file, e), e);
        }
    }

    /** "FILE does not exist" or "FILE cannot be read (reason)". */
    private static String unreadable(Path file, IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? file + " does not exist" : file + " cannot be read (" + e.getMessage() + ")";
    }

    private static PrivateKey privateKey(Path file) throws GeneralSecurityException {
        String pem;
        try {
            pem = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("edgewatch.mqtt.key-file: " + unreadable(file, e), e);
        }
        io.edgewatch.util.SecretFiles.warnIfOpen("edgewatch.mqtt.key-file", file);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException("key file " + file + " must be an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY);"
                    + " convert with: openssl pkcs8 -topk8 -nocrypt -in old.key -out new.key");
        }
        String b64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(b64);
        for (String alg : new String[]{"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException ignored) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("key file " + file + " holds no RSA, EC or Ed25519 PKCS#8 key");
    }
}
