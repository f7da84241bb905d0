package io.edgewatch.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.capture.CaptureStats;
import io.edgewatch.capture.CaptureWorker;
import io.edgewatch.capture.LatestFrameSlot;
import io.edgewatch.detect.DetectionFilter;
import io.edgewatch.detect.ObjectDetector;
import io.edgewatch.events.EventPolicy;
import io.edgewatch.events.EventPublisher;
import io.edgewatch.events.TrackEventBuilder;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TfliteModel;
import io.edgewatch.mqtt.EventSpool;
import io.edgewatch.mqtt.MqttEventSink;
import io.edgewatch.mqtt.MqttSettings;
import io.edgewatch.mqtt.SpoolSettings;
import io.edgewatch.pipeline.CameraPipeline;
import io.edgewatch.track.Tracker;
import io.edgewatch.track.TrackerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agent's event path as a child process for outage tests and the soak script: one camera (a file replayed at
 * {@code -Dreplay=1} speed) through the real detector, tracker, event builder, publisher, spool and MQTT sink,
 * wired like {@code pipeline/Agent} but without Quarkus, so a test can SIGKILL and restart it. Settings come from
 * system properties: {@code source, url, spool, device, replay, user, passwordFile, ca, cert, key, loops, deadline,
 * maxFrames} ({@code deadline}: epoch ms at which a live source is stopped; {@code maxFrames}: frames read per loop,
 * 0 = the whole source).
 * Prints {@code produced <lastSeq> published <n> retried <n> reconnects <n>} as its last line after the spool drained
 * (or 60 s passed).
 */
public final class SpooledAgentMain {
    private SpooledAgentMain() {
    }

    public static void main(String[] args) throws Exception {
        String device = System.getProperty("device", "outage");
        Path spoolDir = Path.of(System.getProperty("spool"));
        ObjectMapper mapper = new ObjectMapper();
        MqttSettings ms = new MqttSettings(System.getProperty("url"), "edgewatch-" + device,
                Optional.ofNullable(System.getProperty("user")), Optional.empty(),
                Optional.ofNullable(System.getProperty("passwordFile")).map(Path::of),
                Optional.ofNullable(System.getProperty("ca")).map(Path::of), Optional.ofNullable(System.getProperty("cert")).map(Path::of),
                Optional.ofNullable(System.getProperty("key")).map(Path::of), 1, 30, "edgewatch/" + device + "/availability");
        SpoolSettings ss = new SpoolSettings(spoolDir, Long.getLong("maxBytes", 64L << 20), 3_600_000, false,
                Integer.getInteger("window", 16), 200, 2_000);
        EventSpool spool = new EventSpool(ss);
        MqttEventSink sink = new MqttEventSink(ms, ss, spool, "edgewatch/" + device + "/gap", device);
        EventPublisher publisher = new EventPublisher(sink, mapper, "edgewatch", spool.lastSeq() + 1);
        ModelManifest manifest = ModelManifest.read(TestPaths.detectorManifest(), mapper);
        DetectionFilter filter = new DetectionFilter(Set.of("person"), 0.5, Map.of(), 0.3);
        int loops = Integer.getInteger("loops", 1);
        for (int loop = 0; loop < loops; loop++) {
            CaptureSettings cs = new CaptureSettings("cam1", System.getProperty("source"), "tcp", 10_000, 15_000, 500, 4_000,
                    Double.parseDouble(System.getProperty("replay", "1")), 5_000);
            LatestFrameSlot slot = new LatestFrameSlot(cs.handOff());
            CaptureWorker capture = new CaptureWorker(cs, slot, new CaptureStats("cam1"), Long.getLong("maxFrames", 0));
            CameraPipeline p = CameraPipeline.withOwnDetector("cam1", capture, slot,
                    new ObjectDetector(TfliteModel.load(manifest, InterpreterOptions.xnnpack(1)), filter),
                    io.edgewatch.pipeline.DetectionSettings.everyFrame(), TrackerSettings.defaults(),
                    device + "-" + ProcessHandle.current().pid() + "-" + loop,
                    new TrackEventBuilder(device, "cam1", new EventPolicy(1_000, 300, 0.05)), publisher, 10,
                    new SimpleMeterRegistry());
            capture.start();
            Thread t = new Thread(p, "pipeline-cam1");
            t.start();
            long deadline = Long.getLong("deadline", 0);
            if (deadline > 0) { // live source: run until the deadline (epoch ms), then stop
                t.join(Math.max(1, deadline - System.currentTimeMillis()));
                p.stop();
            }
            t.join();
        }
        boolean drained = sink.awaitDrained(60_000);
        System.out.println("produced " + publisher.lastSeq() + " published " + sink.eventsPublished() + " retried " + sink.eventsRetried()
                + " reconnects " + sink.reconnects() + " drained " + drained + " dropped " + sink.eventsDropped());
        System.out.flush();
        sink.close();
        System.exit(0);
    }
}
