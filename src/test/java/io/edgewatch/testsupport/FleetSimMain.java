package io.edgewatch.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.capture.CaptureStats;
import io.edgewatch.capture.CaptureWorker;
import io.edgewatch.capture.LatestFrameSlot;
import io.edgewatch.detect.DetectionFilter;
import io.edgewatch.detect.ObjectDetector;
import io.edgewatch.events.EventPolicy;
import io.edgewatch.events.EventPublisher;
import io.edgewatch.events.EventSink;
import io.edgewatch.events.EventTime;
import io.edgewatch.events.TrackEvent;
import io.edgewatch.events.TrackEventBuilder;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TfliteModel;
import io.edgewatch.mqtt.EventSpool;
import io.edgewatch.mqtt.MqttEventSink;
import io.edgewatch.mqtt.MqttSettings;
import io.edgewatch.mqtt.SpoolSettings;
import io.edgewatch.pipeline.CameraPipeline;
import io.edgewatch.track.TrackerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fleet load simulator for {@code scripts/fleet-sim.sh} (issue 13 item 2; test support, not in the product jar: a
 * deployed device never simulates a fleet, and it drives brokers the script starts). Two modes, chosen by the first
 * argument:
 * <ul>
 *   <li>{@code record OUT.jsonl}: runs the real event path (detector, tracker, {@link TrackEventBuilder}) once over
 *   {@code -Dsource} (default {@code media-cache/vtest.avi}, every frame) and writes each track event's JSON, one a
 *   line: the recorded event stream the agents replay.</li>
 *   <li>{@code run EVENTS.jsonl}: N simulated agents in this JVM, each with its own device id, its own
 *   {@link EventSpool} (MVStore) under {@code -Dspool}, its own {@link MqttEventSink} (the product's, with the
 *   comma-separated failover list {@code -Durls}, rotated per agent so the fleet spreads over the nodes) and its own
 *   {@link EventPublisher}, publishing the recorded events (device and time replaced, numbered by the publisher) at
 *   {@code -Drate} events/s each for {@code -Dseconds} s, from {@code -Dproducers} threads (default 4) that each drive
 *   their share of the agents on 100 ms ticks; central consumers (Paho v5, one per URL of
 *   {@code -DconsumerUrls}, each pinned to its node with a persistent session) on {@code $share/central/edgewatch/+/+/events}
 *   de-duplicate by device and seq and measure latency (arrival minus the event's {@code time}, which is set when
 *   the agent publishes it). At {@code -DkillAtS} s the shell command {@code -DkillCmd} runs, {@code -DdownS} s later
 *   {@code -DrestartCmd}.</li>
 * </ul>
 * Last line of {@code run}: {@code agents N events_produced X delivered X duplicated D lost L p95_latency_ms T}
 * (p95 outside the failover window, from {@code killAtS - 2} s to {@code killAtS + downS + settleS} s of event time);
 * the lines before it give the CPU per agent and the latencies inside the window.
 */
public final class FleetSimMain {
    /** Topic filter of the central consumers' shared subscription. */
    public static final String SHARED_FILTER = "$share/central/edgewatch/+/+/events";

    private FleetSimMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("record") || args[0].equals("run"))) {
            System.err.println("usage: FleetSimMain record OUT.jsonl | run EVENTS.jsonl (settings as -D properties, see the class comment)");
            System.exit(2);
        }
        if (args[0].equals("record")) {
            record(Path.of(args[1]));
        } else {
            run(Path.of(args[1]));
        }
        System.out.flush();
        System.exit(0);
    }

    /** Runs the real pipeline once over the source and writes the track events it emits, one JSON a line. */
    static void record(Path out) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        EventSink capture = new EventSink() {
            @Override
            public void send(String topic, byte[] payload, boolean retained) {
            }

            @Override
            public void sendEvent(long seq, String topic, byte[] payload) {
                lines.add(new String(payload, StandardCharsets.UTF_8));
            }

            @Override
            public boolean connected() {
                return true;
            }

            @Override
            public String describe() {
                return "recorder";
            }

            @Override
            public void close() {
            }
        };
        EventPublisher publisher = new EventPublisher(capture, mapper, "edgewatch", 1);
        ModelManifest manifest = ModelManifest.read(TestPaths.detectorManifest(), mapper);
        DetectionFilter filter = new DetectionFilter(Set.of("person"), 0.5, Map.of(), 0.3);
        String source = System.getProperty("source", TestPaths.vtest().toString());
        CaptureSettings cs = new CaptureSettings("cam1", source, "tcp", 10_000, 15_000, 500, 4_000, 0, 5_000);
        LatestFrameSlot slot = new LatestFrameSlot(cs.handOff());
        CaptureWorker worker = new CaptureWorker(cs, slot, new CaptureStats("cam1"), Long.getLong("maxFrames", 0));
        CameraPipeline p = CameraPipeline.withOwnDetector("cam1", worker, slot,
                new ObjectDetector(TfliteModel.load(manifest, InterpreterOptions.xnnpack(Integer.getInteger("threads", 2))), filter),
                io.edgewatch.pipeline.DetectionSettings.everyFrame(), TrackerSettings.defaults(), "fleet-record",
                new TrackEventBuilder("recorded", "cam1", new EventPolicy(1_000, 300, 0.05)), publisher, 10,
                new SimpleMeterRegistry());
        worker.start();
        Thread t = new Thread(p, "pipeline-cam1");
        t.start();
        t.join();
        if (lines.isEmpty()) {
            throw new IllegalStateException("the pipeline emitted no track event from " + source);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("recorded " + lines.size() + " track events from " + source + " to " + out);
    }

    /** One simulated agent: the product's spool, sink and publisher. */
    private record Agent(String device, EventSpool spool, MqttEventSink sink, EventPublisher publisher) { }

    /** What the central side saw of one device. */
    private static final class DeviceLedger {
        final BitSet seen = new BitSet();
        long duplicates;
    }

    static void run(Path eventsFile) throws Exception {
        int agents = Integer.getInteger("agents", 100);
        double rate = Double.parseDouble(System.getProperty("rate", "10"));
        int seconds = Integer.getInteger("seconds", 180);
        List<String> urls = MqttSettingsUrls.split(System.getProperty("urls"));
        List<String> consumerUrls = MqttSettingsUrls.split(System.getProperty("consumerUrls", System.getProperty("urls")));
        Path spoolRoot = Path.of(System.getProperty("spool"));
        String label = System.getProperty("label", "run");
        double killAtS = Double.parseDouble(System.getProperty("killAtS", "-1"));
        double downS = Double.parseDouble(System.getProperty("downS", "10"));
        double settleS = Double.parseDouble(System.getProperty("settleS", "15"));
        String killCmd = System.getProperty("killCmd", "");
        String restartCmd = System.getProperty("restartCmd", "");
        long drainS = Long.getLong("drainS", 120);

        ObjectMapper mapper = new ObjectMapper();
        List<TrackEvent> recorded = new ArrayList<>();
        for (String line : Files.readAllLines(eventsFile, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                recorded.add(mapper.readValue(line, TrackEvent.class));
            }
        }
        if (recorded.isEmpty()) {
            throw new IllegalStateException(eventsFile + " holds no event");
        }

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, DeviceLedger> ledger = new ConcurrentHashMap<>();
        List<long[]> latencies = java.util.Collections.synchronizedList(new ArrayList<>()); // {eventTimeMs, latencyMs}
        AtomicLong arrivals = new AtomicLong();
        List<MqttAsyncClient> consumers = new ArrayList<>();
        for (int i = 0; i < consumerUrls.size(); i++) {
            consumers.add(consumer("central-" + label + "-" + (i + 1), consumerUrls.get(i), mapper, ledger, latencies, arrivals));
        }

        List<Agent> fleet = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            String device = String.format("dev%04d", i + 1);
            List<String> order = new ArrayList<>(urls);
            java.util.Collections.rotate(order, -(i % urls.size())); // spread the fleet over the nodes
            MqttSettings ms = new MqttSettings(String.join(",", order), "edgewatch-" + device, Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 1, 30, "edgewatch/" + device + "/availability");
            SpoolSettings ss = SpoolSettings.defaults(spoolRoot.resolve(device));
            Files.createDirectories(ss.dir());
            EventSpool spool = new EventSpool(ss);
            MqttEventSink sink = new MqttEventSink(ms, ss, spool, "edgewatch/" + device + "/gap", device);
            fleet.add(new Agent(device, spool, sink, new EventPublisher(sink, mapper, "edgewatch", spool.lastSeq() + 1)));
        }
        long connectEnd = System.currentTimeMillis() + 60_000;
        for (Agent a : fleet) {
            if (!a.sink().awaitConnected(Math.max(1, connectEnd - System.currentTimeMillis()))) {
                throw new IllegalStateException(a.device() + " did not connect to " + urls + " within 60 s");
            }
        }
        System.out.println(label + ": " + agents + " agents connected, " + consumers.size() + " consumers on " + SHARED_FILTER);

        // CPU: sampled per thread (threads come and go with reconnects); consumers' threads carry their client id
        Map<Long, Long> consumerCpu = new ConcurrentHashMap<>();
        Thread sampler = Thread.ofPlatform().daemon().name("cpu-sampler").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sampleConsumerCpu(threads, consumerCpu, label);
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long consumerCpu0 = consumerCpu.values().stream().mapToLong(Long::longValue).sum();

        long start = System.currentTimeMillis();
        long killAtMs = killAtS >= 0 ? start + (long) (killAtS * 1000) : Long.MAX_VALUE;
        long restartAtMs = killAtS >= 0 ? killAtMs + (long) (downS * 1000) : Long.MAX_VALUE;
        long end = start + seconds * 1000L;
        // several producer threads, each driving its share of the agents on the same 100 ms ticks: on a real fleet
        // every agent has its own CPU, and one thread writing every agent's spool in turn would cap the rate
        int producers = Math.max(1, Math.min(agents, Integer.getInteger("producers", 4)));
        AtomicLong lateTicks = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Throwable> producerFailure = new java.util.concurrent.atomic.AtomicReference<>();
        List<Thread> producerThreads = new ArrayList<>();
        for (int k = 0; k < producers; k++) {
            int first = k;
            producerThreads.add(Thread.ofPlatform().name("producer-" + k)
                    .uncaughtExceptionHandler((t, e) -> producerFailure.compareAndSet(null, e))
                    .start(() -> produce(fleet, recorded, first, producers, rate, start, end, lateTicks)));
        }
        boolean killed = false;
        boolean restarted = false;
        while (System.currentTimeMillis() < end && producerFailure.get() == null) { // a failed producer ends the run at once
            long now = System.currentTimeMillis();
            if (!killed && now >= killAtMs) {
                killed = true;
                shell(killCmd, label + ": kill at " + (now - start) / 1000.0 + " s");
            }
            if (killed && !restarted && now >= restartAtMs) {
                restarted = true;
                shell(restartCmd, label + ": restart at " + (now - start) / 1000.0 + " s");
            }
            Thread.sleep(Math.max(1, Math.min(100, end - System.currentTimeMillis())));
        }
        for (Thread t : producerThreads) {
            t.join();
        }
        if (producerFailure.get() != null) {
            throw new IllegalStateException(label + ": a producer thread failed, the figures would be wrong", producerFailure.get());
        }
        long produceEnd = System.currentTimeMillis();
        if (killed && !restarted) {
            shell(restartCmd, label + ": restart at the end of the load");
        }
        long produced = 0;
        Map<String, Long> producedByDevice = new HashMap<>();
        for (Agent a : fleet) {
            producedByDevice.put(a.device(), a.publisher().lastSeq());
            produced += a.publisher().lastSeq();
        }
        // drain: every spool empty and every event seen by a consumer, or drainS passed
        long drainEnd = System.currentTimeMillis() + drainS * 1000;
        long lastArrivals = -1;
        long quietSince = System.currentTimeMillis();
        while (System.currentTimeMillis() < drainEnd) {
            boolean spoolsEmpty = fleet.stream().allMatch(a -> a.sink().spoolDepth() == 0);
            if (spoolsEmpty && unique(ledger) >= produced) {
                break;
            }
            long seen = arrivals.get();
            if (seen != lastArrivals) {
                lastArrivals = seen;
                quietSince = System.currentTimeMillis();
            } else if (spoolsEmpty && System.currentTimeMillis() - quietSince > 10_000) {
                break; // every event acknowledged by a broker, nothing arrived for 10 s: what is missing is lost
            }
            Thread.sleep(200);
        }
        long drainedAt = System.currentTimeMillis();
        Thread.sleep(2_000); // late duplicates
        sampleConsumerCpu(threads, consumerCpu, label);
        long cpu1 = os.getProcessCpuTime();
        long consumerCpu1 = consumerCpu.values().stream().mapToLong(Long::longValue).sum();
        sampler.interrupt();
        double wallS = (produceEnd - start) / 1000.0;
        double agentCpuS = ((cpu1 - cpu0) - (consumerCpu1 - consumerCpu0)) / 1e9;
        double consumerCpuS = (consumerCpu1 - consumerCpu0) / 1e9;

        long delivered = 0;
        long duplicated = 0;
        long lost = 0;
        long extra = 0;
        int devicesWithLoss = 0;
        for (Map.Entry<String, Long> e : producedByDevice.entrySet()) {
            DeviceLedger l = ledger.get(e.getKey());
            long last = e.getValue();
            long got = l == null ? 0 : l.seen.get(1, (int) last + 1).cardinality();
            delivered += got;
            duplicated += l == null ? 0 : l.duplicates;
            extra += l == null ? 0 : l.seen.cardinality() - got;
            if (got < last) {
                lost += last - got;
                devicesWithLoss++;
            }
        }
        long winFrom = killAtS >= 0 ? killAtMs - 2_000 : Long.MAX_VALUE;
        long winTo = killAtS >= 0 ? restartAtMs + (long) (settleS * 1000) : Long.MAX_VALUE;
        long[] outside;
        long[] inside;
        long[] all;
        synchronized (latencies) {
            outside = latencies.stream().filter(x -> x[0] < winFrom || x[0] > winTo).mapToLong(x -> x[1]).sorted().toArray();
            inside = latencies.stream().filter(x -> x[0] >= winFrom && x[0] <= winTo).mapToLong(x -> x[1]).sorted().toArray();
            all = latencies.stream().mapToLong(x -> x[1]).sorted().toArray();
        }
        long reconnects = fleet.stream().mapToLong(a -> a.sink().reconnects()).sum();
        long retried = fleet.stream().mapToLong(a -> a.sink().eventsRetried()).sum();
        long refusedCount = fleet.stream().mapToLong(a -> a.sink().eventsRefused()).sum();
        long dropped = fleet.stream().mapToLong(a -> a.sink().eventsDropped()).sum();
        double achieved = produced / wallS / agents;
        System.out.printf("%s: rate asked %.1f events/s per agent, produced %.2f (%.0f %%)%s%n", label, rate, achieved, 100 * achieved / rate,
                achieved < 0.9 * rate ? String.format(": this JVM could not produce faster (%d producer threads on %d cores; each event"
                        + " is a committed MVStore write of the agent's spool); the figures are for the rate produced", producers,
                        Runtime.getRuntime().availableProcessors()) : "");
        System.out.printf("%s: load %.1f s (%d ticks late), drained %.1f s after the load, %d arrivals, agent reconnects %d, events resent %d,"
                        + " refused %d, dropped by spools %d, devices with loss %d, seqs beyond produced %d%n",
                label, wallS, lateTicks.get(), (drainedAt - produceEnd) / 1000.0, arrivals.get(), reconnects, retried, refusedCount, dropped,
                devicesWithLoss, extra);
        System.out.printf("%s: latency ms p50 %d p95 %d p99 %d max %d (outside the failover window, %d events); inside the window"
                        + " (event time %s) p95 %d max %d (%d events); all p95 %d%n",
                label, pct(outside, 50), pct(outside, 95), pct(outside, 99), pct(outside, 100), outside.length,
                killAtS >= 0 ? String.format("%.0f..%.0f s", killAtS - 2, killAtS + downS + settleS) : "none",
                pct(inside, 95), pct(inside, 100), inside.length, pct(all, 95));
        System.out.printf("%s: agent JVM CPU %.1f s over %.1f s = %.1f %% of one core, %.2f ms CPU per agent per s (%.3f %% of a core per agent);"
                        + " consumers %.1f s CPU%n",
                label, agentCpuS, wallS, 100 * agentCpuS / wallS, 1000 * agentCpuS / wallS / agents, 100 * agentCpuS / wallS / agents,
                consumerCpuS);
        System.out.println("agents " + agents + " events_produced " + produced + " delivered " + delivered + " duplicated " + duplicated
                + " lost " + lost + " p95_latency_ms " + pct(outside, 95));
        System.out.flush();
        for (Agent a : fleet) {
            Thread.ofVirtual().start(() -> a.sink().close());
        }
        for (MqttAsyncClient c : consumers) {
            try {
                c.disconnect(1_000);
            } catch (MqttException ignored) {
                // ending anyway
            }
        }
        Thread.sleep(3_000);
    }

    /**
     * Publishes for the agents {@code first}, {@code first + step}, ... of the fleet on 100 ms ticks from {@code start}
     * to {@code end} (wall clock ms), {@code rate} events/s each, counting ticks that started late.
     */
    private static void produce(List<Agent> fleet, List<TrackEvent> recorded, int first, int step, double rate, long start,
                                long end, AtomicLong lateTicks) {
        long tickMs = 100;
        double perTick = rate * tickMs / 1000.0;
        int agents = fleet.size();
        double[] owed = new double[agents];
        int[] cursor = new int[agents];
        for (int i = first; i < agents; i += step) {
            cursor[i] = (int) ((long) i * 7919 % recorded.size()); // each agent starts elsewhere in the recording
        }
        long nextTick = start;
        try {
            while (System.currentTimeMillis() < end) {
                for (int i = first; i < agents; i += step) {
                    owed[i] += perTick;
                    int n = (int) owed[i];
                    owed[i] -= n;
                    if (n == 0) {
                        continue;
                    }
                    Agent a = fleet.get(i);
                    String time = EventTime.format(System.currentTimeMillis());
                    List<TrackEvent> batch = new ArrayList<>(n);
                    for (int k = 0; k < n; k++) {
                        TrackEvent r = recorded.get(cursor[i]);
                        cursor[i] = (cursor[i] + 1) % recorded.size();
                        batch.add(new TrackEvent(r.schema(), 0, r.type(), time, a.device(), r.camera(), r.frame(), r.track(), r.summary()));
                    }
                    a.publisher().publish(batch);
                }
                nextTick += tickMs;
                long sleep = nextTick - System.currentTimeMillis();
                if (sleep > 0) {
                    Thread.sleep(sleep);
                } else {
                    lateTicks.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long unique(Map<String, DeviceLedger> ledger) {
        long n = 0;
        for (DeviceLedger l : ledger.values()) {
            synchronized (l) {
                n += l.seen.cardinality();
            }
        }
        return n;
    }

    private static long pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static void sampleConsumerCpu(ThreadMXBean threads, Map<Long, Long> consumerCpu, String label) {
        for (java.lang.management.ThreadInfo ti : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (ti != null && ti.getThreadName().contains("central-" + label)) {
                long c = threads.getThreadCpuTime(ti.getThreadId());
                if (c > 0) {
                    consumerCpu.merge(ti.getThreadId(), c, Math::max);
                }
            }
        }
    }

    private static void shell(String cmd, String what) throws IOException, InterruptedException {
        System.out.println(what + (cmd.isEmpty() ? " (no command)" : ""));
        if (cmd.isEmpty()) {
            return;
        }
        Process p = new ProcessBuilder("bash", "-c", cmd).inheritIO().start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            System.out.println(what + ": command failed: " + cmd);
        }
    }

    /**
     * A central consumer pinned to one node: persistent session (clean start off, 1 h expiry), QoS 1 shared
     * subscription, Paho's automatic reconnect to the same node.
     */
    private static MqttAsyncClient consumer(String clientId, String url, ObjectMapper mapper, Map<String, DeviceLedger> ledger,
                                            List<long[]> latencies, AtomicLong arrivals) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(3_600L);
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 2);
        o.setKeepAliveInterval(10);
        o.setConnectionTimeout(5);
        c.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
                System.out.println(clientId + " disconnected from " + url + ": " + r);
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                long now = System.currentTimeMillis();
                arrivals.incrementAndGet();
                JsonNode n;
                try {
                    n = mapper.readTree(message.getPayload());
                } catch (IOException e) {
                    System.out.println(clientId + ": unreadable event on " + topic);
                    return;
                }
                String device = n.path("device").asText();
                long seq = n.path("seq").asLong();
                long t = EventTime.parse(n.path("time").asText());
                DeviceLedger l = ledger.computeIfAbsent(device, d -> new DeviceLedger());
                boolean dup;
                synchronized (l) {
                    dup = l.seen.get((int) seq);
                    if (dup) {
                        l.duplicates++;
                    } else {
                        l.seen.set((int) seq);
                    }
                }
                if (!dup) {
                    latencies.add(new long[]{t, now - t});
                }
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect) {
                    System.out.println(clientId + " reconnected to " + serverURI);
                }
                try { // a persistent session keeps the subscription; subscribing again is harmless and covers a lost session
                    c.subscribe(new MqttSubscription[]{new MqttSubscription(SHARED_FILTER, 1)}, null, null, new MqttProperties());
                } catch (MqttException e) {
                    System.out.println(clientId + ": subscribe failed: " + e.getMessage());
                }
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        long end = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                c.connect(o).waitForCompletion(10_000);
                break;
            } catch (MqttException e) {
                if (System.currentTimeMillis() > end) {
                    throw e;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    throw new IllegalStateException(ie);
                }
            }
        }
        return c;
    }

    /** Splits a comma-separated URL list like {@code edgewatch.mqtt.url} does (via {@link MqttSettings#urls()}). */
    private static final class MqttSettingsUrls {
        static List<String> split(String list) {
            if (list == null || list.isBlank()) {
                throw new IllegalArgumentException("-Durls is required: comma-separated broker URLs, e.g. tcp://127.0.0.1:1883");
            }
            return new MqttSettings(list, "fleet-sim", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), 1, 30, "x").urls();
        }
    }
}
