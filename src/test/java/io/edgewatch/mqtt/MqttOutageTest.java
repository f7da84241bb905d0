package io.edgewatch.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.testsupport.Mosquitto;
import io.edgewatch.testsupport.MqttRecorder;
import io.edgewatch.testsupport.SpooledAgentMain;
import io.edgewatch.testsupport.TestPaths;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
 * End to end: the agent's event path ({@link SpooledAgentMain}, a child JVM so it can be SIGKILLed) processes
 * vtest.avi at twice real time and publishes over TLS with a client certificate and a password read from a file
 * to a real Mosquitto. The broker is SIGKILLed and kept down; during the outage the agent is SIGKILLed too and
 * started again (it continues the seq from its spool and restarts the video); then the broker comes back. A
 * persistent subscriber must then hold every seq 1..produced exactly once after de-duplication, in order.
 */
class MqttOutageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyEventArrivesExactlyOnceAfterBrokerAndAgentKills() throws Exception {
        Path work = Files.createTempDirectory("outage");
        Path spool = work.resolve("spool");
        try (Mosquitto broker = Mosquitto.startSecured("agent", "s3cret pass");
             MqttRecorder rec = new MqttRecorder(broker.url(), "edgewatch/outage/#", true)) {
            Path passwordFile = work.resolve("mqtt-password");
            Files.writeString(passwordFile, "s3cret pass\n");
            Path d = broker.dir();
            List<String> props = List.of("-Dsource=" + TestPaths.vtest(), "-Durl=" + broker.tlsUrl(), "-Dspool=" + spool,
                    "-Ddevice=outage", "-Dreplay=2", "-Duser=agent", "-DpasswordFile=" + passwordFile, "-Dca=" + d.resolve("ca.pem"),
                    "-Dcert=" + d.resolve("client.pem"), "-Dkey=" + d.resolve("client.key"), "-Dwindow=4",
                    // 40 s of the clip at twice its rate: agent 1 is killed long before, agent 2 runs about 8 s past the outage
                    "-DmaxFrames=400");

            Process agent1 = startAgent(props, work.resolve("agent1.log"), null);
            // wait for the first events over TLS, then kill the broker mid-stream
            assertThat(awaitEvents(rec, 5, 60_000)).as("events before the outage").isGreaterThanOrEqualTo(5);
            assertThat(rec.messages()).anyMatch(m -> m.topic().endsWith("/availability") && m.payload().equals("online"));
            broker.kill();
            long outageStart = System.currentTimeMillis();
            Thread.sleep(6_000);
            agent1.destroyForcibly(); // SIGKILL during the outage: its spooled events must survive
            agent1.waitFor(10, TimeUnit.SECONDS);
            AtomicReference<String> last = new AtomicReference<>();
            Process agent2 = startAgent(props, work.resolve("agent2.log"), last);
            Thread.sleep(6_000);
            broker.start();
            long outageMs = System.currentTimeMillis() - outageStart;
            assertThat(agent2.waitFor(150, TimeUnit.SECONDS)).as("agent 2 finished; log " + work.resolve("agent2.log")).isTrue();
            String summary = last.get();
            assertThat(summary).as("agent 2 summary line").startsWith("produced ");
            long produced = Long.parseLong(summary.split(" ")[1]);
            rec.awaitQuiet(1_500, 20_000);

            List<Long> seqs = new ArrayList<>();
            for (MqttRecorder.Message m : rec.messages()) {
                if (m.topic().endsWith("/events")) {
                    JsonNode n = JSON.readTree(m.payload());
                    seqs.add(n.get("seq").asLong());
                }
            }
            Set<Long> unique = new LinkedHashSet<>(seqs);
            long duplicated = seqs.size() - unique.size();
            long lost = 0;
            for (long s = 1; s <= produced; s++) {
                if (!unique.contains(s)) {
                    lost++;
                }
            }
            System.out.printf("outage %d ms: produced %d delivered %d duplicated %d lost %d (agent 2: %s)%n",
                    outageMs, produced, unique.size(), duplicated, lost, summary);
            assertThat(produced).as("events produced by both agent runs").isGreaterThan(20);
            assertThat(lost).as("lost events").isZero();
            assertThat(unique).as("no seq beyond produced").allMatch(s -> s >= 1 && s <= produced);
            assertThat(new ArrayList<>(unique)).as("first arrivals in seq order").isSorted();
            assertThat(summary).contains("drained true");
            assertThat(Files.readString(work.resolve("agent2.log"))).contains("events pending");
        }
    }

    private static int awaitEvents(MqttRecorder rec, int n, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        int c = 0;
        while (System.currentTimeMillis() < end) {
            c = (int) rec.messages().stream().filter(m -> m.topic().endsWith("/events")).count();
            if (c >= n) {
                return c;
            }
            Thread.sleep(100);
        }
        return c;
    }

    /** Starts {@link SpooledAgentMain} in a child JVM on this test's class path; stdout's last line goes to {@code last}. */
    static Process startAgent(List<String> props, Path log, AtomicReference<String> last) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx512m");
        cmd.addAll(props);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SpooledAgentMain.class.getName());
        Process p = new ProcessBuilder(cmd).directory(TestPaths.projectRoot().toFile()).redirectError(log.toFile()).start();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (last != null) {
                        last.set(line);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        return p;
    }
}
