package io.edgewatch.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.capture.CapturedFrame;
import io.edgewatch.capture.FfmpegFrameReader;
import io.edgewatch.capture.FfmpegLog;
import io.edgewatch.inference.ModelException;
import io.edgewatch.inference.ModelFileVerifier;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TfliteModel;
import io.edgewatch.mqtt.MqttProbe;
import io.edgewatch.util.Redaction;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Installation check for installers and field technicians: configuration, every model file and its sha256 (and
 * that TensorFlow Lite loads it), one frame from each camera (a TLS camera's certificate checked as {@code run} checks
 * it; {@code WARN} when {@code tls-verify=false}), a broker connection with the configured
 * credentials, free space in the state folders, then the checks other packages contribute ({@link DoctorCheck},
 * e.g. NPU delegates). Every problem becomes a {@link CheckStatus#FAIL} result naming the file, key, camera or URL;
 * nothing here throws for bad input.
 */
public final class Doctor {
    private final ObjectMapper mapper;
    private final List<DoctorCheck> extraChecks;

    /**
     * @param mapper      reads model manifests
     * @param extraChecks checks contributed by other packages, run last
     */
    public Doctor(ObjectMapper mapper, List<DoctorCheck> extraChecks) {
        this.mapper = mapper;
        this.extraChecks = List.copyOf(extraChecks);
    }

    /** Runs every check of the plan in order: config, models, cameras, broker, state folders, contributed checks. */
    public DoctorReport run(DoctorPlan plan) {
        List<CheckResult> results = new ArrayList<>();
        results.add(checkConfig(plan));
        for (Path manifest : plan.modelManifests()) {
            results.add(checkModel(manifest, plan));
        }
        for (CaptureSettings cam : plan.cameras()) {
            results.add(checkCamera(cam));
        }
        results.add(checkBroker(plan));
        for (Path dir : plan.stateDirs()) {
            results.add(checkStateDir(dir, plan.minFreeMb()));
        }
        for (DoctorCheck c : extraChecks) {
            long t0 = System.nanoTime();
            try {
                results.addAll(c.run());
            } catch (RuntimeException e) {
                results.add(CheckResult.fail(c.getClass().getSimpleName(), "check crashed: " + e, ms(t0)));
            }
        }
        return DoctorReport.of(plan.device(), results);
    }

    static CheckResult checkConfig(DoctorPlan plan) {
        long t0 = System.nanoTime();
        if (!plan.contradictions().isEmpty()) {
            return CheckResult.fail("config", String.join("; ", plan.contradictions()), ms(t0));
        }
        if (plan.cameras().isEmpty()) {
            return CheckResult.fail("config", "no enabled camera: set edgewatch.cameras.<id>.source", ms(t0));
        }
        for (CaptureSettings c : plan.cameras()) {
            if (!c.cameraId().matches("[A-Za-z0-9_-]{1,64}")) {
                return CheckResult.fail("config", "camera id '" + c.cameraId() + "' (edgewatch.cameras." + c.cameraId()
                        + ") must be 1..64 letters, digits, '-' or '_'", ms(t0));
            }
        }
        return CheckResult.ok("config", "valid; device " + plan.device() + ", " + plan.cameras().size() + " camera(s), "
                + plan.modelManifests().size() + " model(s), broker " + plan.mqtt().map(m -> m.redactedUrl()).orElse("none (standard output)"), ms(t0));
    }

    CheckResult checkModel(Path manifestFile, DoctorPlan plan) {
        long t0 = System.nanoTime();
        String name = "model " + manifestFile.getFileName();
        try {
            ModelManifest m = ModelManifest.read(manifestFile, mapper);
            name = "model " + m.id();
            ModelFileVerifier.verify(m.modelPath(), m.sha256(), m.sizeBytes());
            if (m.labels() != null) {
                Path labels = m.labelsPath();
                if (!Files.isRegularFile(labels)) {
                    return CheckResult.fail(name, "label file " + labels + " does not exist (run models-tflite/fetch.sh)", ms(t0));
                }
                String got = sha256(labels);
                if (m.labels().sha256() != null && !m.labels().sha256().equals(got)) {
                    return CheckResult.fail(name, "label file " + labels + " has sha256 " + got + ", the manifest expects " + m.labels().sha256(), ms(t0));
                }
            }
            long t1 = System.nanoTime();
            // loaded exactly as run loads it: configured delegate, golden check, fallback policy
            try (io.edgewatch.inference.LoadedModel lm = new io.edgewatch.inference.AcceleratedModelLoader(mapper,
                    io.edgewatch.inference.WarmupListener.NONE).load(m, plan.delegates().apply(m.id()))) {
                String detail = String.format(Locale.ROOT, "%s sha256 %s... ok (%.1f MB); loaded in %d ms: %s",
                        m.modelPath(), m.sha256().substring(0, 12), m.sizeBytes() / 1e6, ms(t1), lm.report().summary());
                return lm.report().fallbackApplied() ? CheckResult.warn(name, detail, ms(t0)) : CheckResult.ok(name, detail, ms(t0));
            }
        } catch (ModelException | IOException | IllegalArgumentException e) {
            return CheckResult.fail(name, e.getMessage(), ms(t0));
        }
    }

    static CheckResult checkCamera(CaptureSettings cam) {
        long t0 = System.nanoTime();
        String name = "camera " + cam.cameraId();
        String source = Redaction.url(cam.source());
        if (cam.kind() == io.edgewatch.capture.SourceKind.FILE && !Files.isRegularFile(Path.of(cam.source()))) {
            return CheckResult.fail(name, "edgewatch.cameras." + cam.cameraId() + ".source: file " + source + " does not exist", ms(t0));
        }
        if (cam.kind() == io.edgewatch.capture.SourceKind.V4L2) {
            Path dev = Path.of(cam.source());
            if (!Files.exists(dev)) {
                return CheckResult.fail(name, "edgewatch.cameras." + cam.cameraId() + ".source: device " + dev + " does not exist (camera unplugged, or DeviceAllow/--device missing)", ms(t0));
            }
            if (!Files.isReadable(dev)) {
                return CheckResult.fail(name, "device " + dev + " is not readable by this user (add it to the 'video' group)", ms(t0));
            }
        }
        try {
            cam.tls().check(cam.cameraId());
        } catch (IllegalArgumentException e) {
            return CheckResult.fail(name, e.getMessage(), ms(t0));
        }
        boolean unchecked = !cam.tls().verify()
                && (cam.kind() == io.edgewatch.capture.SourceKind.RTSP || cam.kind() == io.edgewatch.capture.SourceKind.NETWORK);
        CompletableFuture<String> probe = CompletableFuture.supplyAsync(() -> readOneFrame(cam),
                r -> Thread.ofPlatform().daemon().name("doctor-" + cam.cameraId()).start(r));
        long waitMs = cam.openTimeoutMs() + cam.readTimeoutMs() + 5_000;
        try {
            String read = probe.get(waitMs, TimeUnit.MILLISECONDS);
            if (unchecked) {
                return CheckResult.warn(name, read + "; TLS certificate not checked (edgewatch.cameras." + cam.cameraId()
                        + ".tls-verify=false): anyone on the network path can pose as this camera", ms(t0));
            }
            return CheckResult.ok(name, read, ms(t0));
        } catch (TimeoutException e) {
            return CheckResult.fail(name, "no frame from " + source + " within " + waitMs + " ms", ms(t0));
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            String why = c.getMessage() != null ? c.getMessage() : c.toString();
            // JavaCV appends hints meant for developers; an installer needs FFmpeg's own message (redacted: FFmpeg
            // repeats the URL with its credentials)
            why = FfmpegLog.explain(why);
            if ((cam.kind() == io.edgewatch.capture.SourceKind.RTSP || cam.kind() == io.edgewatch.capture.SourceKind.NETWORK)
                    && ms(t0) >= cam.openTimeoutMs()) {
                // a server that accepts and never answers: FFmpeg's socket time-out surfaces as "Invalid data"
                return CheckResult.fail(name, "open time-out: no stream from " + source + " within " + cam.openTimeoutMs()
                        + " ms (edgewatch.cameras." + cam.cameraId() + ".open-timeout-ms; FFmpeg: " + why + ")", ms(t0));
            }
            return CheckResult.fail(name, "cannot read a frame from " + source + ": " + why, ms(t0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.fail(name, "interrupted", ms(t0));
        }
    }

    private static String readOneFrame(CaptureSettings cam) {
        try (FfmpegFrameReader r = new FfmpegFrameReader(cam, 0)) {
            r.open();
            CapturedFrame f = r.next();
            if (f == null) {
                throw new IllegalStateException("the stream ended before the first frame");
            }
            int w = f.width();
            int h = f.height();
            f.close();
            return String.format(Locale.ROOT, "%s: one frame read, %dx%d, %s, %.1f fps declared", Redaction.url(cam.source()), w, h,
                    r.codec(), r.frameRate());
        } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
            throw new IllegalStateException(io.edgewatch.capture.FfmpegLog.explain(e.getMessage()), e);
        }
    }

    static CheckResult checkBroker(DoctorPlan plan) {
        long t0 = System.nanoTime();
        if (plan.mqtt().isEmpty()) {
            return new CheckResult("broker", CheckStatus.WARN, "edgewatch.mqtt.url is not set: events go to standard output only", ms(t0));
        }
        MqttProbe.Outcome o = MqttProbe.probe(plan.mqtt().get(), plan.brokerTimeoutS());
        java.util.Optional<String> clear = plan.mqtt().get().clearTextCredentialsWarning();
        CheckStatus status = !o.connected() ? CheckStatus.FAIL : clear.isPresent() ? CheckStatus.WARN : CheckStatus.OK;
        return new CheckResult("broker", status, o.message() + clear.map(w -> "; " + w).orElse(""), ms(t0));
    }

    static CheckResult checkStateDir(Path dir, long minFreeMb) {
        long t0 = System.nanoTime();
        Path abs = dir.toAbsolutePath().normalize();
        String name = "state folder " + abs;
        if (!Files.isDirectory(abs)) {
            return CheckResult.fail(name, "does not exist (edgewatch.doctor.state-dirs; the systemd unit creates /var/lib/edgewatch)", ms(t0));
        }
        try {
            Path probe = Files.createTempFile(abs, ".doctor", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            return CheckResult.fail(name, "not writable by this user: " + e.getMessage(), ms(t0));
        }
        try {
            long freeMb = Files.getFileStore(abs).getUsableSpace() / (1024 * 1024);
            if (freeMb < minFreeMb) {
                return CheckResult.fail(name, "only " + freeMb + " MiB free, edgewatch.doctor.min-free-mb requires " + minFreeMb, ms(t0));
            }
            return CheckResult.ok(name, "writable, " + freeMb + " MiB free (>= " + minFreeMb + ")", ms(t0));
        } catch (IOException e) {
            return CheckResult.fail(name, "free space unknown: " + e.getMessage(), ms(t0));
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
