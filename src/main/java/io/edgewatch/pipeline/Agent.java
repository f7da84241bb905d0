package io.edgewatch.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.capture.CaptureStats;
import io.edgewatch.capture.CaptureWorker;
import io.edgewatch.capture.LatestFrameSlot;
import io.edgewatch.config.DelegatesConfig;
import io.edgewatch.config.CaptureConfig;
import io.edgewatch.config.EdgewatchConfig;
import io.edgewatch.config.SpoolConfig;
import io.edgewatch.detect.DetectionFilter;
import io.edgewatch.detect.DetectorService;
import io.edgewatch.detect.ObjectDetector;
import io.edgewatch.events.EventPolicy;
import io.edgewatch.events.EventPublisher;
import io.edgewatch.events.EventSink;
import io.edgewatch.events.StdoutEventSink;
import io.edgewatch.events.TrackEventBuilder;
import io.edgewatch.inference.AcceleratedModelLoader;
import io.edgewatch.inference.Acceleration;
import io.edgewatch.inference.DelegateReport;
import io.edgewatch.inference.DelegateSpec;
import io.edgewatch.inference.LoadedModel;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.WarmupListener;
import io.edgewatch.mqtt.EventSpool;
import io.edgewatch.mqtt.MqttEventSink;
import io.edgewatch.mqtt.MqttSettings;
import io.edgewatch.mqtt.SpoolSettings;
import io.edgewatch.track.Tracker;
import io.edgewatch.track.TrackerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Wires the agent from its configuration: one capture thread and one pipeline thread per camera, one shared
 * detector for all cameras ({@link DetectorService}), a shared event publisher and sink (MQTT, or standard output
 * when no broker is configured). Holds the running pipelines for
 * health checks and metrics. A camera whose model or source cannot be set up is reported and skipped; the
 * others run.
 */
@ApplicationScoped
public class Agent {
    private static final Logger LOG = Logger.getLogger(Agent.class);
    /** How often the running agent looks for gallery changes and audit entries made by CLI commands, ms. */
    static final long GALLERY_REFRESH_MS = 2_000;

    private final EdgewatchConfig config;
    private final io.edgewatch.config.FacesConfig facesConfig;
    private volatile io.edgewatch.face.FaceService faceService;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    private final DelegatesConfig delegates;
    private final WarmupListener warmup;
    private volatile DetectorService detectorService;
    private final SpoolConfig spoolConfig;
    private final CaptureConfig captureConfig;
    private final List<CameraPipeline> pipelines = new ArrayList<>();
    private volatile EventSink sink;
    private volatile EventPublisher publisher;
    private volatile boolean running;
    private final String runId = Long.toString(System.currentTimeMillis() / 1000 % 1_000_000_000L, 36);

    private final jakarta.enterprise.event.Event<AgentStarted> started;
    private final io.edgewatch.face.FaceRuntime faceRuntime;
    private final io.edgewatch.config.HomeAssistantConfig homeAssistantConfig;
    private final Map<String, io.edgewatch.zones.ZoneMonitor> zoneMonitors = new LinkedHashMap<>();
    private volatile io.edgewatch.homeassistant.HomeAssistantPublisher homeAssistant;
    private volatile String detectorRunsOn;

    private final io.edgewatch.events.EventOutput eventOutput;

    public Agent(EdgewatchConfig config, io.edgewatch.config.FacesConfig facesConfig, ObjectMapper mapper, MeterRegistry registry,
                 DelegatesConfig delegates, WarmupListener warmup, SpoolConfig spoolConfig, CaptureConfig captureConfig,
                 jakarta.enterprise.event.Event<AgentStarted> started, io.edgewatch.face.FaceRuntime faceRuntime,
                 io.edgewatch.config.HomeAssistantConfig homeAssistantConfig, io.edgewatch.events.EventOutput eventOutput) {
        this.eventOutput = eventOutput;
        this.faceRuntime = faceRuntime;
        this.homeAssistantConfig = homeAssistantConfig;
        this.delegates = delegates;
        this.warmup = warmup;
        this.spoolConfig = spoolConfig;
        this.captureConfig = captureConfig;
        this.config = config;
        this.facesConfig = facesConfig;
        this.mapper = mapper;
        this.registry = registry;
        this.started = started;
    }

    /**
     * Starts every camera.
     *
     * @throws io.edgewatch.config.ConfigurationError when no camera is configured or given, or two settings contradict
     *                                                each other ({@link Settings#checkPairs})
     * @throws IllegalArgumentException when a {@code --source} or a setting is unusable
     * @throws io.edgewatch.inference.ModelException when the detector model cannot be loaded (checked once, before
     *                                               any camera starts)
     */
    public synchronized void start(RunRequest req) {
        if (running) {
            throw new IllegalStateException("the agent is already running");
        }
        Settings.checkPairs(config, spoolConfig, captureConfig);
        NativePreload.start(); // OpenCV and FFmpeg load while the detector model is loaded and checked below
        pipelines.clear();
        zoneMonitors.clear();
        homeAssistant = null;
        // a stale AOT cache is ignored by the JVM without stopping it: say so, since start-up is then slower
        io.edgewatch.util.AotCache aot = io.edgewatch.util.AotCache.current();
        if (aot.requestedPath().isPresent() && !aot.inUse()) {
            LOG.warn(aot.describe());
        } else {
            LOG.info(aot.describe());
        }
        Map<String, EdgewatchConfig.Camera> configured = config.cameras();
        Map<String, CaptureSettings> cameras = new LinkedHashMap<>();
        Map<String, DetectionSettings> detection = new LinkedHashMap<>();
        if (!req.sources().isEmpty()) {
            for (int i = 0; i < req.sources().size(); i++) {
                String id = req.cameraId(i);
                CaptureSettings d = CaptureSettings.defaults(id, req.sources().get(i));
                CaptureSettings single = new CaptureSettings(d.cameraId(), d.source(), d.rtspTransport(), d.openTimeoutMs(),
                        d.readTimeoutMs(), captureConfig.reconnectMinMs(), captureConfig.reconnectMaxMs(), req.replaySpeed(),
                        captureConfig.stallTimeoutMs(), captureConfig.maxFramePx()).withDecoderThreads(captureConfig.decoderThreads());
                if (single.kind() == io.edgewatch.capture.SourceKind.FILE) {
                    java.nio.file.Path file = java.nio.file.Path.of(single.source());
                    if (!java.nio.file.Files.isReadable(file)) {
                        throw new IllegalArgumentException("--source: video file " + single.source() + " does not exist or is not readable");
                    }
                    if (java.nio.file.Files.isDirectory(file)) {
                        throw new IllegalArgumentException("--source: " + single.source() + " is a directory, not a video file");
                    }
                }
                cameras.put(id, single);
                EdgewatchConfig.Camera c = configured.get(id);
                DetectionSettings ds = c != null ? Settings.detection(id, c)
                        : DetectionSettings.defaults().withDetectFps(
                                single.kind() == io.edgewatch.capture.SourceKind.FILE && req.replaySpeed() == 0 ? 0 : DetectionSettings.DEFAULT_DETECT_FPS);
                if (req.detectFps().isPresent()) {
                    ds = ds.withDetectFps(req.detectFps().getAsDouble());
                }
                if (req.motionGating().isPresent()) {
                    ds = ds.withMotionGating(req.motionGating().get());
                }
                detection.put(id, ds);
            }
            boolean zonesElsewhere = configured.values().stream()
                    .anyMatch(c -> !c.zones().isEmpty() || !c.lines().isEmpty() || !c.motion().masks().isEmpty());
            if (!configured.containsKey(req.cameraId()) && zonesElsewhere) {
                LOG.warnf("camera %s is not a configured camera (configured: %s): no zones, lines or motion masks apply to --source;"
                        + " give --camera with the id whose zones you want", req.cameraId(), String.join(", ", new java.util.TreeSet<>(configured.keySet())));
            }
        } else {
            configured.forEach((id, c) -> {
                if (c.enabled()) {
                    CaptureSettings cs = Settings.camera(id, c, captureConfig);
                    cs.tls().check(id); // a missing or unreadable ca-file stops start-up, naming key and file
                    cameras.put(id, cs);
                    detection.put(id, Settings.detection(id, c));
                }
            });
        }
        if (cameras.isEmpty()) {
            throw new io.edgewatch.config.ConfigurationError(configured.isEmpty()
                    ? "no camera to process: give --source FILE_OR_URL or configure edgewatch.cameras.<id>.source"
                    : "no camera to process: every configured camera (" + String.join(", ", new java.util.TreeSet<>(configured.keySet()))
                    + ") has edgewatch.cameras.<id>.enabled=false; enable one or give --source FILE_OR_URL");
        }
        Map<String, io.edgewatch.zones.ZoneSettings> zoneSettings = new LinkedHashMap<>();
        for (String id : cameras.keySet()) {
            if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("camera id '" + id + "' must be 1..64 letters, digits, '-' or '_' (it is a topic level)");
            }
            // zones of a configured camera, also when --source --camera <id> replaces its source
            EdgewatchConfig.Camera c = configured.get(id);
            zoneSettings.put(id, c == null ? io.edgewatch.zones.ZoneSettings.none() : Settings.zones(c));
        }
        ModelManifest manifest = ModelManifest.read(config.detector().manifest(), mapper);
        boolean throughput = cameras.values().stream().allMatch(c -> CameraPipeline.throughput(c, detection.get(c.cameraId())));
        int wanted = EdgewatchConfig.Detector.interpretersFor(config.detector(), cameras.size(), throughput);
        DelegateSpec spec = delegates.specFor(manifest.id(), EdgewatchConfig.Detector.threadsPerInterpreter(config.detector(), wanted),
                Acceleration.valueOf(config.detector().acceleration().toUpperCase()));
        AcceleratedModelLoader loader = new AcceleratedModelLoader(mapper, warmup);
        DetectionFilter filter = Settings.filter(config.detector());
        // load once up front (delegate checks, golden check, warm-up, report) so that a bad model or a refused delegate
        // stops start-up with its message before any thread starts; further interpreters load as decided here
        // a CPU-only detector is not timed here (nothing to decide, and measure-invokes invokes would delay the first
        // frame): the report's steady figure comes from the first live invokes below
        LoadedModel checked = loader.load(manifest, spec, false);
        detectorRunsOn = manifest.id() + ": " + target(checked.report().runsOn());
        List<ObjectDetector> interpreters = new ArrayList<>();
        interpreters.add(new ObjectDetector(checked.model(), filter));
        if (checked.report().delegateApplied() && wanted > 1) {
            LOG.infof("detector %s: delegate applied, one interpreter per device (edgewatch.detector.interpreters=%d ignored)", manifest.id(), wanted);
            wanted = 1;
        }
        for (int i = 1; i < wanted; i++) {
            interpreters.add(new ObjectDetector(loader.loadAsDecided(manifest, spec, checked.report()).model(), filter));
        }
        detectorService = new DetectorService(manifest.id(), interpreters);
        detectorService.bindMetrics(registry);
        if (checked.report().steadyInvokeMs() < 0) {
            DelegateReport started = checked.report();
            detectorService.measureSteady(spec.measureInvokes(), ms -> {
                LOG.infof("model %s: steady invoke %.2f ms (median of the first %d live invokes)", started.model(), ms, spec.measureInvokes());
                warmup.reported(started.withSteadyInvokeMs(ms));
            });
        }
        LOG.infof("detector %s: shared by %d camera(s), %d interpreter(s) x %d thread(s)", manifest.id(), cameras.size(),
                interpreters.size(), spec.threads());

        // faces: off by default (then no face model is loaded); on, it needs a declared purpose and legal basis
        io.edgewatch.face.FaceSettings faceSettings = io.edgewatch.face.FaceSettings.of(facesConfig);
        if (faceSettings.enabled()) {
            try {
                faceService = io.edgewatch.face.FaceService.open(faceSettings, mapper, "agent", System.currentTimeMillis());
                faceService.checkModels(); // a bad face model stops start-up before any thread starts
                faceRuntime.current(faceService);
            } catch (io.edgewatch.face.FaceException e) {
                detectorService.close();
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        sink = req.sink().isPresent() ? req.sink().get() : createSink(req.mqttUrl());
        eventOutput.describe(io.edgewatch.events.EventOutput.sentence(!(sink instanceof StdoutEventSink),
                config.events().topicPrefix() + "/" + config.deviceId() + "/<camera>/events"));
        if (sink instanceof MqttEventSink m) {
            m.bindMetrics(registry);
        }
        if (faceService != null) {
            if (sink instanceof MqttEventSink) {
                String auditTopic = config.events().topicPrefix() + "/" + config.deviceId() + "/audit";
                faceService.audit().publisher((line, acked) -> sink.sendAcknowledged(auditTopic, line, acked)); // forwarded on PUBACK
                // entries written while the broker was down, or by the CLI while no agent ran, follow every connect
                io.edgewatch.face.AuditLog audit = faceService.audit();
                sink.onConnected(audit::forwardAfterConnect);
            }
            // without a broker the entries stay pending in the file (standard output carries events only) and are
            // forwarded by the next agent that has one
            // CLI enroll / gallery remove beside the running agent: picked up within GALLERY_REFRESH_MS
            faceService.startRefresh(GALLERY_REFRESH_MS);
            faceService.audit().append("start", System.currentTimeMillis(), Map.of("actor", "agent", "cameras", List.copyOf(cameras.keySet())));
        }
        // with a spool the numbering continues after the last seq ever spooled (restart, crash)
        long firstSeq = sink instanceof MqttEventSink m ? m.spool().lastSeq() + 1 : 1;
        publisher = new EventPublisher(sink, mapper, config.events().topicPrefix(), firstSeq);
        EventPolicy policy = Settings.events(config.events());
        TrackerSettings ts = Settings.tracker(config.tracker());
        try {
            startCameras(req, cameras, configured, detection, zoneSettings, policy, ts);
            startHomeAssistant();
        } catch (RuntimeException e) {
            // half-way: stop what was started (cameras, detector, faces, sink) before the error goes up
            LOG.errorf("start-up failed after %d camera(s) had started: %s; stopping them", pipelines.size(), e.getMessage());
            running = true;
            stop();
            throw e;
        }
        running = true;
        started.fire(new AgentStarted(List.copyOf(pipelines), detectorService));
        // the cameras run by now; the background load of the natives has normally ended long before
        String preload = NativePreload.outcome(PRELOAD_LOG_WAIT_MS);
        if (NativePreload.failed()) {
            LOG.warn(preload);
        } else if (preload.equals("not started")) {
            LOG.debug("native libraries: no background preload (" + NativePreload.SWITCH + "=" + System.getenv(NativePreload.SWITCH) + ")");
        } else {
            LOG.info(preload);
        }
    }

    /** How long the end of start-up waits for the background native preload before it logs how it went. */
    private static final long PRELOAD_LOG_WAIT_MS = 10_000;

    private void startCameras(RunRequest req, Map<String, CaptureSettings> cameras, Map<String, EdgewatchConfig.Camera> configured,
                              Map<String, DetectionSettings> detection, Map<String, io.edgewatch.zones.ZoneSettings> zoneSettings,
                              EventPolicy policy, TrackerSettings ts) {
        for (CaptureSettings cs : cameras.values()) {
            double expectedFps = Optional.ofNullable(configured.get(cs.cameraId())).map(EdgewatchConfig.Camera::expectedFps).orElse(10.0);
            LatestFrameSlot slot = new LatestFrameSlot(cs.handOff());
            CaptureWorker capture = new CaptureWorker(cs, slot, new CaptureStats(cs.cameraId()), req.maxFrames());
            DetectionSettings ds = detection.get(cs.cameraId());
            CameraPipeline p = new CameraPipeline(cs.cameraId(), capture, slot, detectorService.register(cs.cameraId()), ds, ts,
                    runId + "-" + cs.cameraId(), new TrackEventBuilder(config.deviceId(), cs.cameraId(), policy),
                    publisher, expectedFps, registry);
            // a file as fast as possible without motion gating: one round in flight per interpreter
            p.roundsInFlight(CameraPipeline.roundsInFlight(CameraPipeline.throughput(cs, ds), detectorService.interpreters()));
            io.edgewatch.zones.ZoneSettings zs = zoneSettings.get(cs.cameraId());
            io.edgewatch.zones.ZoneMonitor monitor = new io.edgewatch.zones.ZoneMonitor(zs);
            zoneMonitors.put(cs.cameraId(), monitor);
            p.attachZones(monitor);
            if (!zs.isEmpty()) {
                LOG.infof("camera %s: zones %s, lines %s (anchor %s, inertia %d frames)", cs.cameraId(),
                        zs.zones().stream().map(z -> z.dwellAlertS() > 0
                                ? z.name() + " (dwell alert " + z.dwellAlertS() + " s)" : z.name()).toList(),
                        zs.lines().stream().map(io.edgewatch.zones.CrossingLine::name).toList(), zs.anchor(), zs.inertiaFrames());
            }
            if (faceService != null) {
                p.attachFaces(faceService.createStage(cs.cameraId()));
            }
            pipelines.add(p);
            capture.start();
            Thread t = new Thread(p, "pipeline-" + cs.cameraId());
            t.setDaemon(true);
            t.start();
            LOG.infof("camera %s: started (%s, %s hand-off%s; detect %s, motion gating %s, stages %s)", cs.cameraId(),
                    CaptureWorker.redact(cs.source()), cs.handOff(), p.roundsInFlight() > 1 ? ", " + p.roundsInFlight() + " rounds in flight" : "",
                    ds.detectFps() == 0 ? "every frame" : String.format(java.util.Locale.ROOT, "%.1f fps", ds.detectFps()),
                    ds.motionGating() ? "on" : "off", p.stageNames());
        }
    }

    /**
     * Home Assistant discovery ({@code edgewatch.homeassistant.enabled}): the running cameras' and the device's
     * entities, published through the MQTT sink; without a broker it is logged and skipped.
     */
    private void startHomeAssistant() {
        if (!homeAssistantConfig.enabled()) {
            return;
        }
        if (!(sink instanceof MqttEventSink m)) {
            LOG.warnf("edgewatch.homeassistant.enabled=true needs a broker (edgewatch.mqtt.url); events go to %s: no Home Assistant discovery",
                    sink.describe());
            return;
        }
        String base = config.events().topicPrefix() + "/" + config.deviceId();
        List<String> labels = config.detector().labels().isEmpty() ? List.of("person") : List.copyOf(config.detector().labels());
        boolean identities = homeAssistantConfig.publishIdentities() && faceService != null;
        if (homeAssistantConfig.publishIdentities() && faceService == null) {
            LOG.warn("edgewatch.homeassistant.publish-identities=true has no effect: face processing is off (edgewatch.faces.enabled)");
        }
        if (identities) {
            // biometric identification results leave the device: an audited decision of the operator
            faceService.audit().append("homeassistant-identities", System.currentTimeMillis(), Map.of("actor", "agent",
                    "publishIdentities", true, "topics", base + "/<camera>/state/identities",
                    "cameras", pipelines.stream().map(CameraPipeline::cameraId).toList()));
            LOG.warnf("edgewatch.homeassistant.publish-identities=true: the identities recognised on each camera go to Home Assistant (%s/<camera>/state/identities); recorded in the face audit log",
                    base);
        }
        List<io.edgewatch.homeassistant.Entity> entities = new ArrayList<>();
        for (CameraPipeline p : pipelines) {
            io.edgewatch.zones.ZoneMonitor zm = zoneMonitors.get(p.cameraId());
            io.edgewatch.zones.ZoneSettings zs = zm.settings();
            entities.addAll(io.edgewatch.homeassistant.EntityCatalog.camera(base, new io.edgewatch.homeassistant.CameraFeed(p.cameraId(), labels,
                    zs.zones().stream().map(io.edgewatch.zones.Zone::name).toList(),
                    zs.lines().stream().map(io.edgewatch.zones.CrossingLine::name).toList(),
                    p::activeTracks, zm::objectsIn, zm::crossings,
                    () -> p.captureStats().quality(p.expectedFps()).wire(), p::detectionFps, identities ? p::identitiesPresent : null)));
        }
        String runsOn = detectorRunsOn;
        entities.addAll(io.edgewatch.homeassistant.EntityCatalog.device(base, new io.edgewatch.homeassistant.DeviceFeed(
                m::spoolDepth, m::connected, () -> runsOn)));
        String version = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.application.version", String.class).orElse("unknown");
        io.edgewatch.homeassistant.HaTransport transport = new io.edgewatch.homeassistant.HaTransport() {
            @Override
            public void publishRetained(String topic, byte[] payload) {
                m.send(topic, payload, true);
            }

            @Override
            public void subscribe(String filter, MessageListener listener) {
                m.subscribe(filter, listener::arrived);
            }

            @Override
            public void onConnected(Runnable action) {
                m.onConnected(action);
            }

            @Override
            public boolean connected() {
                return m.connected();
            }
        };
        io.edgewatch.homeassistant.HomeAssistantPublisher ha = new io.edgewatch.homeassistant.HomeAssistantPublisher(transport, mapper,
                homeAssistantConfig.discoveryPrefix(), new io.edgewatch.homeassistant.DeviceInfo(config.deviceId(), version,
                m.availabilityTopic()), entities);
        ha.start();
        homeAssistant = ha;
    }

    /** CPU, XNNPACK or NPU from a model's {@code runsOn} ({@code cpu}, {@code xnnpack}, {@code delegate:<library>}). */
    static String target(String runsOn) {
        if (runsOn == null) {
            return "unknown";
        }
        if (runsOn.startsWith("delegate")) {
            return "NPU";
        }
        return runsOn.equalsIgnoreCase("xnnpack") ? "XNNPACK" : runsOn.equalsIgnoreCase("cpu") ? "CPU" : runsOn;
    }

    /** Home Assistant discovery of the running agent, or null when it is off or not started. */
    public io.edgewatch.homeassistant.HomeAssistantPublisher homeAssistant() {
        return homeAssistant;
    }

    private EventSink createSink(Optional<String> mqttOverride) {
        Optional<String> url = mqttOverride.isPresent() ? mqttOverride.filter(u -> !u.isBlank()) : config.mqtt().url();
        if (url.isEmpty()) {
            LOG.info("no MQTT broker configured (edgewatch.mqtt.url): events go to standard output as JSON lines");
            return new StdoutEventSink();
        }
        String prefix = config.events().topicPrefix();
        MqttSettings s = Settings.mqtt(config, url.get());
        SpoolConfig sc = spoolConfig;
        SpoolSettings ss = new SpoolSettings(sc.resolvedDir(), sc.maxBytes(), sc.maxAgeS() * 1000, sc.fsync(), sc.inflightWindow(),
                sc.reconnectMinMs(), sc.reconnectMaxMs());
        EventSpool spool = new EventSpool(ss);
        LOG.infof("event spool %s: %d events pending, last seq %d", spool.file(), spool.depth(), spool.lastSeq());
        return new MqttEventSink(s, ss, spool, prefix + "/" + config.deviceId() + "/gap", config.deviceId());
    }

    /**
     * Waits until every camera has finished (file sources) or {@code timeoutMs} passed.
     *
     * @return true when all finished
     */
    public boolean awaitFinished(long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        for (CameraPipeline p : List.copyOf(pipelines)) {
            long left = end - System.currentTimeMillis();
            if (left <= 0 || !p.await(left)) {
                return false;
            }
        }
        return true;
    }

    /** Stops all cameras, ends open tracks, closes the sink. Idempotent. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        for (CameraPipeline p : pipelines) {
            p.stop();
        }
        for (CameraPipeline p : pipelines) {
            try {
                p.await(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            p.unbindMetrics();
        }
        if (homeAssistant != null) {
            homeAssistant.close(); // last values (counts back to 0) before the sink closes
        }
        if (detectorService != null) {
            detectorService.close();
        }
        if (faceService != null) {
            try {
                faceService.audit().append("stop", System.currentTimeMillis(), Map.of("actor", "agent"));
            } catch (RuntimeException e) {
                LOG.warnf("audit: %s", e.getMessage());
            }
            faceService.close();
            faceRuntime.current(null);
        }
        if (sink != null) {
            sink.close();
        }
    }

    /** Face processing of the running agent, or null when it is off or the agent has not started. */
    public io.edgewatch.face.FaceService faceService() {
        return faceService;
    }

    void onShutdown(@Observes ShutdownEvent ev) {
        stop();
    }

    /** Running (or finished) camera pipelines. */
    public List<CameraPipeline> pipelines() {
        return List.copyOf(pipelines);
    }

    /** The shared detector, or null before start. */
    public DetectorService detectorService() {
        return detectorService;
    }

    /** The event sink, or null before start. */
    public EventSink sink() {
        return sink;
    }

    /** The event publisher, or null before start. */
    public EventPublisher publisher() {
        return publisher;
    }

    public boolean running() {
        return running;
    }

    public String deviceId() {
        return config.deviceId();
    }
}
