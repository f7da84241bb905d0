package io.edgewatch.util;

import org.junit.jupiter.api.Test;

import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/** Redaction of user info in URLs and of remembered secrets, with passwords that break simple patterns. */
class RedactionTest {

    @Test
    void plainUserInfo() {
        assertThat(Redaction.url("rtsp://viewer:secret@10.0.0.1:554/s")).isEqualTo("rtsp://***@10.0.0.1:554/s");
        assertThat(Redaction.url("rtsp://viewer@10.0.0.1/s")).isEqualTo("rtsp://***@10.0.0.1/s");
        assertThat(Redaction.url("ssl://user:pw@broker.example:8883")).isEqualTo("ssl://***@broker.example:8883");
        assertThat(Redaction.url("rtsp://[fe80::1%25eth0]:554/s")).isEqualTo("rtsp://[fe80::1%25eth0]:554/s");
        assertThat(Redaction.url("rtsp://u:p@[2001:db8::7]:554/s")).isEqualTo("rtsp://***@[2001:db8::7]:554/s");
        assertThat(Redaction.url("/dev/video0")).isEqualTo("/dev/video0");
        assertThat(Redaction.url("media-cache/vtest.avi")).isEqualTo("media-cache/vtest.avi");
        assertThat(Redaction.url(null)).isNull();
    }

    @Test
    void passwordsWithAtSlashPercentColon() {
        for (String pw : new String[] {"p@ss", "p/ss", "p%40ss", "p:ss", "a@b/c:d%2F@e", "@@", "x?y#z@", "end@127.0.0.1", "sp@ce/../@"}) {
            String url = "rtsp://admin:" + pw + "@127.0.0.1:8554/wrongpath";
            String msg = "avformat_open_input() error -1094995529: Could not open input \"" + url + "\". (Has setFormat() been called?)";
            String red = Redaction.text(msg);
            assertThat(red).as(pw).doesNotContain(pw).doesNotContain("admin")
                    .contains("Could not open input \"rtsp://***@127.0.0.1:8554/wrongpath\"");
            assertThat(Redaction.url(url)).isEqualTo("rtsp://***@127.0.0.1:8554/wrongpath");
        }
    }

    @Test
    void credentialsInTheQuery() {
        assertThat(Redaction.url("http://cam.local/cgi-bin/snapshot.cgi?user=admin&password=Zq9-secret&chn=1"))
                .isEqualTo("http://cam.local/cgi-bin/snapshot.cgi?user=admin&password=***&chn=1");
        assertThat(Redaction.text("open \"rtsp://10.0.0.5/live?Token=abcDEF123;x=1\" failed"))
                .isEqualTo("open \"rtsp://10.0.0.5/live?Token=***;x=1\" failed");
        Redaction.rememberUrl("https://cam/s?api_key=K3y-value-77");
        assertThat(Redaction.text("401 for key K3y-value-77")).isEqualTo("401 for key ***");
        assertThat(Redaction.url("rtsp://10.0.0.5/live?channel=1&subtype=0")).isEqualTo("rtsp://10.0.0.5/live?channel=1&subtype=0");
        // punctuation of the sentence after the value is kept; punctuation inside the value is redacted with it
        assertThat(Redaction.text("started (https://127.0.0.1:8555/x.mp4?token=S3cretPw, LATEST hand-off)"))
                .isEqualTo("started (https://127.0.0.1:8555/x.mp4?token=***, LATEST hand-off)");
        assertThat(Redaction.text("cannot read https://h/x.mp4?token=S3cretPw: cannot connect"))
                .isEqualTo("cannot read https://h/x.mp4?token=***: cannot connect");
        assertThat(Redaction.text("open (rtsp://h/x?password=a,b:c.d)")).isEqualTo("open (rtsp://h/x?password=***)");
        assertThat(Redaction.text("at the end ?sig=Zz9.")).isEqualTo("at the end ?sig=***.");
    }

    @Test
    void userInfoEncodedForParsers() {
        assertThat(Redaction.withEncodedUserInfo("rtsp://admin:R1ght@pa/ss:Q7@127.0.0.1:554/stream"))
                .isEqualTo("rtsp://admin:R1ght%40pa%2Fss%3AQ7@127.0.0.1:554/stream");
        assertThat(Redaction.withEncodedUserInfo("rtsp://admin:Pa%40ss%25@h/s")).isEqualTo("rtsp://admin:Pa%40ss%25@h/s"); // escapes kept
        assertThat(Redaction.withEncodedUserInfo("rtsp://u:50%off@h/s")).isEqualTo("rtsp://u:50%25off@h/s");
        assertThat(Redaction.withEncodedUserInfo("rtsp://h:554/s")).isEqualTo("rtsp://h:554/s");
        assertThat(java.net.URI.create(Redaction.withEncodedUserInfo("rtsp://a:b@c/d?e#f@10.0.0.9:8554/x")).getHost()).isEqualTo("10.0.0.9");
        assertThat(Redaction.withEncodedUserInfo("/dev/video0")).isEqualTo("/dev/video0");
    }

    @Test
    void everyUrlInAMessage() {
        String msg = "relay rtsp://a:b@cam1:554/x -> rtsp://c:d@127.0.0.1:40000/x, broker tcp://u:p@broker:1883 and http://plain/host@path";
        assertThat(Redaction.text(msg)).isEqualTo(
                "relay rtsp://***@cam1:554/x -> rtsp://***@127.0.0.1:40000/x, broker tcp://***@broker:1883 and http://***@path");
    }

    @Test
    void rememberedSecretsAreRemovedWithoutTheirUrl() {
        Redaction.rememberUrl("rtsp://admin:Kx%40 9/z@192.0.2.10:554/stream1");
        // a space ends a URL in free text: the part after it is caught as a remembered secret
        assertThat(Redaction.text("Illegal character in authority at index 7: rtsp://admin:Kx%40 9/z@192.0.2.10:554/stream1"))
                .doesNotContain("Kx").doesNotContain("9/z");
        // decoded form, as a library may print it
        assertThat(Redaction.text("auth failed for password Kx@ 9/z")).isEqualTo("auth failed for password ***");
        Redaction.rememberSecret("mqtt-Secret-1");
        assertThat(Redaction.text("CONNACK for mqtt-Secret-1")).isEqualTo("CONNACK for ***");
        // short secrets are only removed from URLs
        Redaction.rememberSecret("ab");
        assertThat(Redaction.text("a table")).isEqualTo("a table");
    }

    @Test
    void logFilterRedactsMessageParametersAndExceptionChain() {
        var rec = new org.jboss.logmanager.ExtLogRecord(Level.WARNING, "camera %s: %s", org.jboss.logmanager.ExtLogRecord.FormatStyle.PRINTF,
                RedactionTest.class.getName());
        rec.setParameters(new Object[] {"front", "cannot read rtsp://admin:hunter2@10.1.1.1/s"});
        rec.setThrown(new IllegalStateException("wrap", new java.io.IOException("open rtsp://admin:hunter2@10.1.1.1/s failed")));
        assertThat(new RedactingLogFilter().isLoggable(rec)).isTrue();
        assertThat(rec.getFormattedMessage()).isEqualTo("camera front: cannot read rtsp://***@10.1.1.1/s");
        assertThat(rec.getThrown().toString()).isEqualTo("java.lang.IllegalStateException: wrap");
        assertThat(rec.getThrown().getCause().toString()).isEqualTo("java.io.IOException: open rtsp://***@10.1.1.1/s failed");
        assertThat(rec.getThrown().getStackTrace()).isNotEmpty();
    }
}
