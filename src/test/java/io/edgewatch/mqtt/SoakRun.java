package io.edgewatch.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.testsupport.Mosquitto;
import io.edgewatch.testsupport.MqttRecorder;
import io.edgewatch.testsupport.RtspServer;
import io.edgewatch.testsupport.TestPaths;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Soak run, not part of the normal test run (the class name does not match Surefire's test patterns): started by
 * {@code scripts/soak.sh MINUTES}. Starts its own Mosquitto (TLS, password, client certificate) and RTSP server
 * (vtest.avi), runs the agent's event path as a child JVM on the RTSP stream, and for {@code soak.minutes}
 * minutes rotates faults: broker SIGKILL and restart, agent SIGKILL and restart, RTSP server stop and restart, a
 * frozen RTSP stream, and broker plus agent killed together. Then the agent stops, drains, and the figures are
 * printed; the last line is {@code produced N delivered N duplicated N lost N reconnects N}.
 */
class SoakRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void soak() throws Exception {
        double minutes = Double.parseDouble(System.getProperty("soak.minutes", "10"));
        long deadline = System.currentTimeMillis() + (long) (minutes * 60_000);
        Path work = Files.createTempDirectory("soak");
        Path spool = work.resolve("spool");
        List<Path> logs = new ArrayList<>();
        try (Mosquitto broker = Mosquitto.startSecured("agent", "soak pass");
             RtspServer rtsp = RtspServer.start(TestPaths.vtest());
             MqttRecorder rec = new MqttRecorder(broker.url(), "edgewatch/soak/#", true)) {
            Path passwordFile = work.resolve("pw");
            Files.writeString(passwordFile, "soak pass\n");
            Path d = broker.dir();
            List<String> props = List.of("-Dsource=" + rtsp.url(), "-Durl=" + broker.tlsUrl(), "-Dspool=" + spool, "-Ddevice=soak",
                    "-Duser=agent", "-DpasswordFile=" + passwordFile, "-Dca=" + d.resolve("ca.pem"), "-Dcert=" + d.resolve("client.pem"),
                    "-Dkey=" + d.resolve("client.key"), "-Ddeadline=" + deadline);
            AtomicReference<String> last = new AtomicReference<>();
            int run = 0;
            Path log = work.resolve("agent" + run + ".log");
            logs.add(log);
            Process agent = MqttOutageTest.startAgent(props, log, last);
            int fault = 0;
            int faults = 0;
            while (System.currentTimeMillis() < deadline - 50_000) {
                Thread.sleep(30_000);
                String what;
                switch (fault++ % 5) {
                    case 0 -> {
                        what = "broker SIGKILL 8 s";
                        broker.kill();
                        Thread.sleep(8_000);
                        broker.start();
                    }
                    case 1 -> {
                        what = "agent SIGKILL and restart";
                        agent.destroyForcibly();
                        agent.waitFor(10, TimeUnit.SECONDS);
                        log = work.resolve("agent" + ++run + ".log");
                        logs.add(log);
                        agent = MqttOutageTest.startAgent(props, log, last);
                    }
                    case 2 -> {
                        what = "RTSP server down 5 s";
                        rtsp.stop();
                        Thread.sleep(5_000);
                        rtsp.start();
                    }
                    case 3 -> {
                        what = "RTSP stream frozen";
                        rtsp.freeze();
                    }
                    default -> {
                        what = "broker SIGKILL, agent SIGKILL during the outage, agent restart, broker restart";
                        broker.kill();
                        Thread.sleep(3_000);
                        agent.destroyForcibly();
                        agent.waitFor(10, TimeUnit.SECONDS);
                        log = work.resolve("agent" + ++run + ".log");
                        logs.add(log);
                        agent = MqttOutageTest.startAgent(props, log, last);
                        Thread.sleep(5_000);
                        broker.start();
                    }
                }
                faults++;
                System.out.printf("soak t=%ds fault %d: %s%n", (System.currentTimeMillis() - deadline) / 1000 + (long) (minutes * 60), faults, what);
            }
            assertThat(agent.waitFor(Math.max(0, deadline - System.currentTimeMillis()) + 120_000, TimeUnit.MILLISECONDS))
                    .as("agent stops at the deadline").isTrue();
            String summary = last.get();
            assertThat(summary).as("agent summary").startsWith("produced ");
            long produced = Long.parseLong(summary.split(" ")[1]);
            rec.awaitQuiet(2_000, 30_000);
            List<Long> seqs = new ArrayList<>();
            for (MqttRecorder.Message m : rec.messages()) {
                if (m.topic().endsWith("/events")) {
                    seqs.add(JSON.readTree(m.payload()).get("seq").asLong());
                }
            }
            Set<Long> unique = new LinkedHashSet<>(seqs);
            long lost = 0;
            for (long s = 1; s <= produced; s++) {
                if (!unique.contains(s)) {
                    lost++;
                }
            }
            long mqttReconnects = 0;
            long cameraReconnects = 0;
            long stalls = 0;
            for (Path l : logs) {
                for (String line : Files.readAllLines(l)) {
                    if (line.contains("MQTT connected") && line.contains("(reconnect)")) {
                        mqttReconnects++;
                    } else if (line.contains("camera cam1: reconnecting")) {
                        cameraReconnects++;
                    } else if (line.contains("stalled, no frame")) {
                        stalls++;
                    }
                }
            }
            boolean ordered = new ArrayList<>(unique).equals(unique.stream().sorted().toList());
            System.out.printf("soak %.1f min: %d faults, %d agent runs, MQTT reconnects %d, camera reconnects %d, stalls %d, first arrivals in order: %s%n",
                    minutes, faults, run + 1, mqttReconnects, cameraReconnects, stalls, ordered);
            System.out.printf("produced %d delivered %d duplicated %d lost %d reconnects %d%n", produced, unique.size(),
                    seqs.size() - unique.size(), lost, mqttReconnects + cameraReconnects);
            assertThat(lost).isZero();
            assertThat(ordered).isTrue();
        }
    }
}
