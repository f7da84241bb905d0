package io.edgewatch.homeassistant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Home Assistant MQTT discovery for the running agent (README "Home Assistant").
 * <ul>
 *   <li>After the first connect: reads back the retained discovery document of the previous run (waiting at most
 *   {@value #OLD_CONFIG_WAIT_MS} ms for it), publishes one retained device document
 *   ({@link DiscoveryDocument}) in which components of the previous run that are no longer configured (a removed
 *   camera, zone or line) are sent with only their platform, and clears their state topics (empty retained
 *   payload). The sink republishes the document after every reconnect.</li>
 *   <li>Home Assistant's birth message ({@code <prefix>/status} = {@code online}, not retained) publishes the
 *   document again, at most once per {@value #MIN_INTERVAL_MS} ms.</li>
 *   <li>Every {@value #SAMPLE_MS} ms the entities' values are read; a value that changed goes out on its retained
 *   state topic, at most once per {@value #MIN_INTERVAL_MS} ms per entity, the last one always
 *   ({@link StateRateLimiter}). Nothing is sampled before the first connect.</li>
 * </ul>
 * A face identity is among the entities only when the caller built an identities entity (faces on and
 * {@code publish-identities=true}). Thread-safe; one thread of its own.
 */
public final class HomeAssistantPublisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HomeAssistantPublisher.class);
    /** How often values are read, ms. */
    public static final long SAMPLE_MS = 200;
    /** Least time between two publishes of one state topic, ms. */
    public static final long MIN_INTERVAL_MS = 1_000;
    /** How long the first discovery waits for the previous run's retained document after the connect, ms. */
    public static final long OLD_CONFIG_WAIT_MS = 300;
    /** Most time {@link #close()} gives held-back values to go out, ms. */
    static final long CLOSE_DRAIN_MS = 1_500;

    private final HaTransport transport;
    private final ObjectMapper mapper;
    private final DeviceInfo device;
    private final List<Entity> entities;
    private final String configTopic;
    private final String statusTopic;
    private final StateRateLimiter limiter = new StateRateLimiter(MIN_INTERVAL_MS);
    private final Object lock = new Object();
    private final AtomicLong discoveryPublishes = new AtomicLong();
    private final Thread thread;
    private volatile boolean discoveryDue;
    private final java.util.concurrent.atomic.AtomicBoolean firstRequested = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean firstDone;
    private volatile long connectedAtMs;
    private volatile byte[] oldConfig;
    private volatile boolean oldConfigSeen;
    private volatile boolean closed;
    private long lastDiscoveryMs;

    /**
     * @param discoveryPrefix Home Assistant's discovery prefix (checked by the configuration)
     * @param entities        the entities to offer, object ids and state topics unique
     * @throws IllegalArgumentException when two entities share an object id or a state topic
     */
    public HomeAssistantPublisher(HaTransport transport, ObjectMapper mapper, String discoveryPrefix, DeviceInfo device,
                                  List<Entity> entities) {
        this.transport = transport;
        this.mapper = mapper;
        this.device = device;
        this.entities = List.copyOf(entities);
        Set<String> ids = new HashSet<>();
        Set<String> topics = new HashSet<>();
        for (Entity e : entities) {
            if (!ids.add(e.objectId()) || !topics.add(e.stateTopic())) {
                throw new IllegalArgumentException("Home Assistant entity " + e.objectId() + " (" + e.stateTopic() + ") is not unique");
            }
        }
        this.configTopic = DiscoveryDocument.topic(discoveryPrefix, device.deviceId());
        this.statusTopic = discoveryPrefix + "/status";
        this.thread = Thread.ofPlatform().daemon().name("homeassistant").unstarted(this::loop);
    }

    /** Subscribes (previous document, birth message), hooks the connect and starts the thread. */
    public void start() {
        transport.subscribe(configTopic, (topic, payload, retained) -> {
            if (!firstDone && !oldConfigSeen) {
                oldConfig = payload;
                oldConfigSeen = true;
                wake();
            }
        });
        transport.subscribe(statusTopic, (topic, payload, retained) -> {
            // a retained birth would re-publish at every connect; the connect publishes anyway
            if (!retained && "online".equals(new String(payload, StandardCharsets.UTF_8).strip())) {
                LOG.debug("Home Assistant is online: discovery published again");
                discoveryDue = true;
                wake();
            }
        });
        // later connects: the sink republishes the retained document itself
        transport.onConnected(this::firstConnect);
        if (transport.connected()) { // the sink connected before this started
            firstConnect();
        }
        thread.start();
    }

    private void firstConnect() {
        if (firstRequested.compareAndSet(false, true)) {
            connectedAtMs = System.currentTimeMillis();
            discoveryDue = true;
            wake();
        }
    }

    private void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    private void loop() {
        while (!closed) {
            try {
                long now = System.currentTimeMillis();
                // the first document waits for the previous one (or OLD_CONFIG_WAIT_MS); birth messages re-publish at
                // most once per MIN_INTERVAL_MS however many arrive (any client of the broker can send one)
                if (discoveryDue && (firstDone ? now - lastDiscoveryMs >= MIN_INTERVAL_MS
                        : oldConfigSeen || now - connectedAtMs >= OLD_CONFIG_WAIT_MS)) {
                    discoveryDue = false;
                    publishDiscovery();
                }
                if (firstDone) {
                    sample(now);
                }
                synchronized (lock) {
                    if (!closed) {
                        lock.wait(discoveryDue ? 20 : SAMPLE_MS);
                    }
                }
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "Home Assistant publishing: %s", e.getMessage());
            }
        }
    }

    private void publishDiscovery() {
        Map<String, String> removed = new LinkedHashMap<>();
        if (!firstDone) {
            Set<String> ids = new HashSet<>();
            Set<String> topics = new HashSet<>();
            for (Entity e : entities) {
                ids.add(e.objectId());
                topics.add(e.stateTopic());
            }
            DiscoveryDocument.components(mapper, oldConfig).forEach((id, c) -> {
                if (!ids.contains(id) && !c.stub()) {
                    removed.put(id, c.platform());
                    if (c.stateTopic() != null && !topics.contains(c.stateTopic())) {
                        transport.publishRetained(c.stateTopic(), new byte[0]);
                    }
                }
            });
            if (!removed.isEmpty()) {
                LOG.infof("Home Assistant: %d entities of the previous run are no longer configured and are removed: %s",
                        removed.size(), removed.keySet());
            }
        }
        byte[] doc;
        try {
            doc = mapper.writeValueAsBytes(DiscoveryDocument.build(mapper, device, entities, removed));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("discovery document: " + e.getMessage(), e);
        }
        transport.publishRetained(configTopic, doc);
        lastDiscoveryMs = System.currentTimeMillis();
        discoveryPublishes.incrementAndGet();
        if (!firstDone) {
            LOG.infof("Home Assistant discovery: %d entities on %s (%d bytes)", entities.size(), configTopic, doc.length);
        }
        firstDone = true;
    }

    private void sample(long now) {
        Map<String, String> latest = new LinkedHashMap<>();
        for (Entity e : entities) {
            try {
                String v = e.value().get();
                if (v != null) {
                    latest.put(e.stateTopic(), v);
                }
            } catch (RuntimeException ex) {
                LOG.debugf("Home Assistant %s: %s", e.objectId(), ex.getMessage());
            }
        }
        for (StateRateLimiter.Update u : limiter.round(latest, now)) {
            transport.publishRetained(u.topic(), u.value().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The discovery topic, {@code <prefix>/device/<device>/config}. */
    public String configTopic() {
        return configTopic;
    }

    /** The entities offered. */
    public List<Entity> entities() {
        return entities;
    }

    /** Discovery documents published since start (1 after the first connect, +1 per birth message). */
    public long discoveryPublishes() {
        return discoveryPublishes.get();
    }

    /**
     * Stops sampling; values held back by the rate limit go out when due (at most {@value #CLOSE_DRAIN_MS} ms), so
     * Home Assistant keeps the last values (e.g. counts back to 0 after the last tracks ended). Call before the sink
     * closes. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wake();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!firstDone) {
            return;
        }
        long end = System.currentTimeMillis() + CLOSE_DRAIN_MS;
        while (true) {
            long now = System.currentTimeMillis();
            sample(now);
            long due = limiter.nextDueMs();
            if (due == Long.MAX_VALUE || due > end) {
                return;
            }
            try {
                Thread.sleep(Math.max(1, due - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
