package io.edgewatch.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.capture.CaptureState;
import io.edgewatch.capture.CaptureStats;
import io.edgewatch.capture.CaptureWorker;
import io.edgewatch.capture.LatestFrameSlot;
import io.edgewatch.detect.DetectionFilter;
import io.edgewatch.detect.ObjectDetector;
import io.edgewatch.events.EventPolicy;
import io.edgewatch.events.EventPublisher;
import io.edgewatch.events.StdoutEventSink;
import io.edgewatch.events.TrackEventBuilder;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TfliteModel;
import io.edgewatch.pipeline.CameraPipeline;
import io.edgewatch.testsupport.Mosquitto;
import io.edgewatch.testsupport.RtspServer;
import io.edgewatch.testsupport.TestPaths;
import io.edgewatch.track.Tracker;
import io.edgewatch.track.TrackerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bytedeco.javacpp.Pointer;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Camera faults against a real RTSP server (GStreamer, scripts/rtsp-test-server.py) serving vtest.avi: server
 * stopped and restarted, a frozen stream (connected, no video), a closed loopback port and a listener that
 * accepts and never answers. Checks reconnect times, health state changes, that one failing camera does not
 * delay another, and that threads and native memory stay flat over repeated open/fail/reopen cycles.
 */
class CameraFaultsTest {
    private static final long OPEN_TIMEOUT_MS = 6_000;
    private static final long STALL_TIMEOUT_MS = 2_000;
    private static final long RECONNECT_MAX_MS = 1_000;

    private static CaptureSettings settings(String id, String url) {
        return new CaptureSettings(id, url, "tcp", OPEN_TIMEOUT_MS, 10_000, 100, RECONNECT_MAX_MS, 0, STALL_TIMEOUT_MS);
    }

    /** A camera pipeline with the real detector, events to a throw-away publisher. */
    private static CameraPipeline pipeline(CaptureSettings cs) {
        ObjectMapper mapper = new ObjectMapper();
        ModelManifest manifest = ModelManifest.read(TestPaths.detectorManifest(), mapper);
        LatestFrameSlot slot = new LatestFrameSlot(cs.handOff());
        CaptureWorker capture = new CaptureWorker(cs, slot, new CaptureStats(cs.cameraId()), 0);
        EventPublisher publisher = new EventPublisher(new io.edgewatch.events.DiscardingSink(), mapper, "edgewatch", 1);
        CameraPipeline p = CameraPipeline.withOwnDetector(cs.cameraId(), capture, slot,
                new ObjectDetector(TfliteModel.load(manifest, InterpreterOptions.xnnpack(1)), new DetectionFilter(Set.of("person"), 0.5, Map.of(), 0.3)),
                io.edgewatch.pipeline.DetectionSettings.everyFrame(), TrackerSettings.defaults(), cs.cameraId(),
                new TrackEventBuilder("dev", cs.cameraId(), EventPolicy.defaults()), publisher, 10, new SimpleMeterRegistry());
        capture.start();
        Thread.ofPlatform().daemon().name("pipeline-" + cs.cameraId()).start(p);
        return p;
    }

    private static long await(BooleanSupplier cond, long timeoutMs) throws InterruptedException {
        long t0 = System.currentTimeMillis();
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() - t0 > timeoutMs) {
                return -1;
            }
            Thread.sleep(20);
        }
        return System.currentTimeMillis() - t0;
    }

    private static String state(HealthCheckResponse r) {
        return r.getStatus() + "/" + r.getData().orElseThrow().get("state");
    }

    @Test
    void restartFreezeClosedPortAndSilentListener() throws Exception {
        try (RtspServer server = RtspServer.start(TestPaths.vtest());
             ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // accept and never answer
                    }
                } catch (IOException ignored) {
                    // closed
                }
            });
            int closedPort = Mosquitto.freePort();
            long t0 = System.currentTimeMillis();
            CameraPipeline good = pipeline(settings("good", server.url()));
            CameraPipeline closed = pipeline(settings("closed", "rtsp://127.0.0.1:" + closedPort + "/stream"));
            CameraPipeline mute = pipeline(settings("mute", "rtsp://127.0.0.1:" + silent.getLocalPort() + "/stream"));
            try {
                CaptureStats g = good.captureStats();
                // the good camera streams although two others fail from the start
                long firstFrames = await(() -> g.framesReceived() >= 10, 15_000);
                assertThat(firstFrames).as("good camera streams next to failing ones").isNotNegative();
                System.out.printf("good camera: 10 frames after %d ms (agent started with 2 unreachable cameras)%n", System.currentTimeMillis() - t0);
                assertThat(state(CameraHealthChecks.check(good))).isEqualTo("UP/streaming");

                // closed port: refused at once, reconnecting with back-off, health DOWN
                assertThat(await(() -> closed.captureStats().reconnects() >= 3, 10_000)).isNotNegative();
                assertThat(state(CameraHealthChecks.check(closed))).isEqualTo("DOWN/reconnecting");
                assertThat(closed.captureStats().lastError()).contains("cannot read rtsp://127.0.0.1:" + closedPort)
                        .contains("cannot connect to 127.0.0.1:" + closedPort);

                // silent listener: the open time-out breaks the handshake
                assertThat(await(() -> mute.captureStats().reconnects() >= 1, OPEN_TIMEOUT_MS + 3_000)).isNotNegative();
                assertThat(mute.captureStats().lastError()).contains("open time-out");
                assertThat(accepted).isNotEmpty();
                assertThat(mute.captureStats().framesReceived()).isZero();
                assertThat(CameraHealthChecks.check(mute).getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
                assertThat(CameraHealthChecks.check(mute).getData().orElseThrow().get("quality")).isEqualTo("unusable");

                // server stopped: reconnecting; restarted: streaming again within back-off cap + open
                long before = g.reconnects();
                server.stop();
                long down = await(() -> g.state() == CaptureState.RECONNECTING, 8_000);
                assertThat(down).as("loss noticed").isNotNegative();
                assertThat(state(CameraHealthChecks.check(good))).isEqualTo("DOWN/reconnecting");
                Thread.sleep(1_500);
                server.start();
                long restarted = System.currentTimeMillis();
                long frames = g.framesReceived();
                long back = await(() -> g.state() == CaptureState.STREAMING && g.framesReceived() > frames, RECONNECT_MAX_MS * 2 + OPEN_TIMEOUT_MS + 3_000);
                assertThat(back).as("streaming again after restart").isNotNegative();
                System.out.printf("server restart: loss noticed in %d ms, streaming %d ms after the server was back%n", down,
                        System.currentTimeMillis() - restarted);
                assertThat(g.reconnects()).isGreaterThan(before);
                assertThat(state(CameraHealthChecks.check(good))).isEqualTo("UP/streaming");

                // frozen: connected, no video -> stall counted and the stream reopened
                server.freeze();
                long frozenAt = System.currentTimeMillis();
                long stalled = await(() -> g.stalls() >= 1, STALL_TIMEOUT_MS + 3_000);
                assertThat(stalled).as("stall detected").isNotNegative();
                long f2 = g.framesReceived();
                long resumed = await(() -> g.framesReceived() > f2 + 5, RECONNECT_MAX_MS * 2 + OPEN_TIMEOUT_MS + 5_000);
                assertThat(resumed).as("new session after the stall").isNotNegative();
                System.out.printf("frozen stream: stall detected after %d ms, frames again %d ms after the freeze%n", stalled,
                        System.currentTimeMillis() - frozenAt);
                var data = CameraHealthChecks.check(good).getData().orElseThrow();
                assertThat((Long) data.get("stallsLastHour")).isGreaterThanOrEqualTo(1L);
                assertThat((Long) data.get("reconnectsLastHour")).isGreaterThanOrEqualTo(2L);
                assertThat(data.get("quality")).isIn("fair", "poor");
            } finally {
                for (CameraPipeline p : List.of(good, closed, mute)) {
                    p.stop();
                }
                for (CameraPipeline p : List.of(good, closed, mute)) {
                    assertThat(p.await(10_000)).as("camera " + p.cameraId() + " stops").isTrue();
                }
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    /** Open/fail/reopen cycles: threads and native memory stay flat. */
    @Test
    void noLeakOverRepeatedCycles() throws Exception {
        try (RtspServer server = RtspServer.start(TestPaths.vtest());
             ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException ignored) {
                    // closed
                }
            });
            int closedPort = Mosquitto.freePort();
            var threads = ManagementFactory.getThreadMXBean();
            long[] baseline = null;
            int cycles = Integer.getInteger("leak.cycles", 8);
            for (int i = 0; i <= cycles; i++) {
                // one cycle: a good stream opened and read, a stall-free close; a refused open; a silent-listener time-out
                String kinds = System.getProperty("leak.kinds", "good,closed,mute");
                if (kinds.contains("good")) {
                    runCycle(settings("leak-good", server.url()), c -> c.framesReceived() >= 5);
                }
                if (kinds.contains("closed"))
                runCycle(new CaptureSettings("leak-closed", "rtsp://127.0.0.1:" + closedPort + "/s", "tcp", 500, 500, 10, 20, 0, 2_000),
                        c -> c.reconnects() >= 5);
                if (kinds.contains("mute"))
                runCycle(new CaptureSettings("leak-mute", "rtsp://127.0.0.1:" + silent.getLocalPort() + "/s", "tcp", 300, 300, 10, 20, 0, 2_000),
                        c -> c.reconnects() >= 2);
                System.gc();
                Thread.sleep(300);
                var mem = ManagementFactory.getMemoryMXBean();
                long javaCommitted = mem.getHeapMemoryUsage().getCommitted() + mem.getNonHeapMemoryUsage().getCommitted();
                // native = resident set (JavaCPP Pointer.physicalBytes) minus what the JVM committed for heap and non-heap
                long[] now = {threads.getThreadCount(), (Pointer.physicalBytes() - javaCommitted) >> 20, Pointer.physicalBytes() >> 20};
                if (i == 1) {
                    baseline = now; // after warm-up (natives loaded, pools created)
                }
                System.out.printf("cycle %d: threads %d, native (physical - JVM committed) %d MiB, physical %d MiB%n", i, now[0], now[1], now[2]);
                if (i == cycles) {
                    assertThat(now[0]).as("platform threads").isLessThanOrEqualTo(baseline[0] + 2);
                    assertThat(now[1]).as("native memory MiB").isLessThanOrEqualTo(baseline[1] + 16);
                }
            }
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    private static void runCycle(CaptureSettings cs, java.util.function.Predicate<CaptureStats> until) throws InterruptedException {
        LatestFrameSlot slot = new LatestFrameSlot(LatestFrameSlot.Mode.LATEST);
        CaptureWorker w = new CaptureWorker(cs, slot, new CaptureStats(cs.cameraId()), 0);
        Thread t = w.start();
        Thread consumer = Thread.ofPlatform().start(() -> {
            try {
                while (!slot.finished()) {
                    var f = slot.take(100);
                    if (f != null) {
                        f.close();
                    }
                }
            } catch (InterruptedException ignored) {
                // stop
            }
        });
        assertThat(await(() -> until.test(w.stats()), 15_000)).as(cs.cameraId() + " cycle").isNotNegative();
        w.stop();
        t.join(10_000);
        consumer.join(5_000);
        assertThat(t.isAlive()).as("capture thread ended").isFalse();
    }
}
