package io.edgewatch.mqtt;

import io.edgewatch.events.EventSink;
import io.edgewatch.events.EventTime;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Store-and-forward MQTT delivery with the Eclipse Paho v5 asynchronous client.
 * <ul>
 *   <li>Events ({@link #sendEvent}) are committed to the {@link EventSpool} first; one sender thread drains the
 *   spool in seq order with QoS {@code settings.qos()} (1 by default), at most
 *   {@link SpoolSettings#inflightWindow()} publishes awaiting PUBACK at once, and removes an event only on its
 *   PUBACK. After every (re)connect it resends from the oldest pending event, so delivery is at-least-once and
 *   in order; subscribers de-duplicate by {@code seq}.</li>
 *   <li>Connecting, the first time as after a loss, is retried with capped exponential back-off and +-20 %
 *   jitter ({@link SpoolSettings#reconnectMinMs()}..{@link SpoolSettings#reconnectMaxMs()}), so the agent starts
 *   and spools while the broker is down.</li>
 *   <li>Retained state (availability {@code online}, anything sent with {@code retained=true}) is republished
 *   after every connect; {@code offline} is the Last Will and is sent on clean shutdown.</li>
 *   <li>Events dropped by the spool's bounds are announced with one {@code gap} notice per lost range
 *   (schema {@code edgewatch.gap/1}) once the broker is back.</li>
 * </ul>
 * Thread-safe.
 */
public final class MqttEventSink implements EventSink {
    private static final Logger LOG = Logger.getLogger(MqttEventSink.class);
    /** Schema id of gap notices. */
    public static final String GAP_SCHEMA = "edgewatch.gap/1";

    private final MqttSettings settings;
    private final SpoolSettings spoolSettings;
    private final EventSpool spool;
    private final String gapTopic;
    private final String deviceId;
    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final Map<String, byte[]> retainedState = new LinkedHashMap<>();
    private final List<Runnable> connectListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, MessageListener> subscriptions = new ConcurrentHashMap<>();
    private final Set<Long> gapsInFlight = ConcurrentHashMap.newKeySet();
    private final Object work = new Object();
    private final Thread sender;
    private volatile boolean up;
    private volatile boolean closed;
    private volatile boolean resend;
    private volatile int generation;
    private volatile Semaphore window;
    private long cursor;
    private long highestAttempted;
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong gapNotices = new AtomicLong();
    private volatile long lastConnectedChangeMs = System.currentTimeMillis();

    /**
     * @param spool    the opened spool; closed by {@link #close()}
     * @param gapTopic topic of gap notices, {@code <prefix>/<device>/gap}
     * @param deviceId device id written into gap notices
     * @throws IllegalArgumentException naming the setting when the URL, password file or TLS files are unusable
     */
    public MqttEventSink(MqttSettings settings, SpoolSettings spoolSettings, EventSpool spool, String gapTopic, String deviceId) {
        this.settings = settings;
        this.spoolSettings = spoolSettings;
        this.spool = spool;
        this.gapTopic = gapTopic;
        this.deviceId = deviceId;
        settings.clearTextCredentialsWarning().ifPresent(LOG::warn);
        try {
            this.client = new MqttAsyncClient(settings.url(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw new IllegalArgumentException("edgewatch.mqtt.url '" + settings.redactedUrl() + "' is not usable: " + e.getMessage(), e);
        }
        this.options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(false); // our own loop: same back-off for the first connect and reconnects
        options.setKeepAliveInterval(settings.keepAliveS());
        options.setConnectionTimeout(10);
        options.setMaximumPacketSize(MqttSettings.MAX_PACKET_BYTES); // the broker may send us nothing larger (MQTT 5, 3.1.2.11.4)
        settings.applyCredentials(options);
        MqttMessage will = new MqttMessage("offline".getBytes(StandardCharsets.UTF_8), 1, true, new MqttProperties());
        options.setWill(settings.availabilityTopic(), will);
        retainedState.put(settings.availabilityTopic(), "online".getBytes(StandardCharsets.UTF_8));
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
                markDown(r.getReasonString() != null ? r.getReasonString() : String.valueOf(r.getException()));
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
                LOG.warnf("MQTT error: %s", e.getMessage());
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                dispatch(topic, message);
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        this.sender = Thread.ofPlatform().daemon().name("mqtt-sender").start(this::senderLoop);
    }

    private void markDown(String why) {
        if (up) {
            up = false;
            lastConnectedChangeMs = System.currentTimeMillis();
            LOG.warnf("MQTT %s disconnected: %s; %d events pending in the spool (new events are kept there until the broker is back)",
                    settings.redactedUrl(), why, spool.depth());
        }
        wake();
    }

    private void wake() {
        synchronized (work) {
            work.notifyAll();
        }
    }

    private void senderLoop() {
        long backoff = spoolSettings.reconnectMinMs();
        long lastHousekeepingMs = 0;
        while (!closed) {
            try {
                if (!up || !client.isConnected()) {
                    up = false;
                    if (connectOnce()) {
                        backoff = spoolSettings.reconnectMinMs();
                    } else {
                        long delay = (long) (backoff * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
                        backoff = Math.min(spoolSettings.reconnectMaxMs(), backoff * 2);
                        sleepUnlessClosed(delay);
                    }
                    continue;
                }
                long now = System.currentTimeMillis();
                if (now - lastHousekeepingMs >= 1_000) {
                    lastHousekeepingMs = now;
                    spool.expire(now);
                    announceGaps();
                    spool.flush();
                }
                if (resend) {
                    resend = false;
                    cursor = 0;
                }
                EventSpool.Entry e = spool.after(cursor);
                if (e == null) {
                    synchronized (work) {
                        work.wait(200);
                    }
                    continue;
                }
                Semaphore w = window;
                if (!w.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                publishEvent(e, w);
            } catch (InterruptedException ie) {
                if (closed) {
                    return;
                }
            } catch (RuntimeException ex) {
                LOG.errorf(ex, "MQTT sender: %s", ex.getMessage());
                sleepUnlessClosed(500);
            }
        }
    }

    private boolean connectOnce() {
        try {
            client.connect(options).waitForCompletion(15_000);
        } catch (MqttException e) {
            if (e.getReasonCode() == 0x86 || e.getReasonCode() == 0x87 || e.getReasonCode() == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_FAILED_AUTHENTICATION
                    || e.getReasonCode() == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_NOT_AUTHORIZED) {
                LOG.errorf("MQTT %s refused the credentials (edgewatch.mqtt.username/password): %s", settings.redactedUrl(), e.getMessage());
            } else {
                LOG.warnf("MQTT %s not reachable (%s); %d events pending in the spool", settings.redactedUrl(), e.getMessage(), spool.depth());
            }
            return false;
        }
        generation++;
        window = new Semaphore(spoolSettings.inflightWindow());
        cursor = 0;
        resend = false;
        gapsInFlight.clear();
        up = true;
        lastConnectedChangeMs = System.currentTimeMillis();
        long n = connects.incrementAndGet();
        LOG.infof("MQTT connected to %s%s; %d events pending", settings.redactedUrl(), n > 1 ? " (reconnect)" : "", spool.depth());
        Map<String, byte[]> state;
        synchronized (retainedState) {
            state = new LinkedHashMap<>(retainedState);
        }
        state.forEach((topic, payload) -> {
            try {
                client.publish(topic, payload, 1, true);
            } catch (MqttException ex) {
                LOG.warnf("MQTT retained %s not published: %s", topic, ex.getMessage());
            }
        });
        subscriptions.keySet().forEach(this::subscribeNow);
        announceGaps();
        for (Runnable r : connectListeners) {
            try {
                r.run();
            } catch (RuntimeException ex) {
                LOG.warnf(ex, "MQTT after-connect action failed: %s", ex.getMessage());
            }
        }
        return true;
    }

    @Override
    public void onConnected(Runnable action) {
        connectListeners.add(action);
    }

    /** Receives the messages of a subscription, on Paho's callback thread (must not block). */
    @FunctionalInterface
    public interface MessageListener {
        /** @param retained true for a retained message delivered because of the subscription */
        void arrived(String topic, byte[] payload, boolean retained);
    }

    /**
     * Subscribes to {@code filter} with QoS 1, now when connected and after every connect (the session starts
     * clean), before the {@link #onConnected} actions run; the broker's retained messages on the filter arrive right
     * after each subscription. One listener per filter (a second call replaces it).
     */
    public void subscribe(String filter, MessageListener listener) {
        org.eclipse.paho.mqttv5.common.util.MqttTopicValidator.validate(filter, true, true);
        subscriptions.put(filter, listener);
        if (up) {
            subscribeNow(filter);
        }
    }

    private void subscribeNow(String filter) {
        try {
            client.subscribe(filter, 1).waitForCompletion(5_000);
        } catch (MqttException e) {
            LOG.warnf("MQTT subscription to %s failed: %s", filter, e.getMessage());
        }
    }

    private void dispatch(String topic, MqttMessage message) {
        subscriptions.forEach((filter, l) -> {
            if (org.eclipse.paho.mqttv5.common.util.MqttTopicValidator.isMatched(filter, topic)) {
                try {
                    l.arrived(topic, message.getPayload(), message.isRetained());
                } catch (RuntimeException e) {
                    LOG.warnf(e, "MQTT message on %s: %s", topic, e.getMessage());
                }
            }
        });
    }

    private void publishEvent(EventSpool.Entry e, Semaphore w) throws InterruptedException {
        int gen = generation;
        try {
            client.publish(e.topic(), e.payload(), settings.qos(), false, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] rc = token.getReasonCodes();
                    if (rc != null && rc.length > 0 && rc[0] >= 0x80) {
                        rejected.incrementAndGet();
                        LOG.errorf("MQTT broker rejected event seq %d on %s with reason code 0x%02x; it is dropped and announced as a gap",
                                e.seq(), e.topic(), rc[0]);
                        spool.reject(e.seq());
                    } else {
                        spool.remove(e.seq());
                        published.incrementAndGet();
                    }
                    w.release();
                    wake();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable ex) {
                    w.release();
                    if (gen == generation) {
                        resend = true;
                    }
                    wake();
                }
            });
            if (e.seq() <= highestAttempted) {
                retried.incrementAndGet();
            }
            highestAttempted = Math.max(highestAttempted, e.seq());
            cursor = e.seq();
        } catch (MqttException ex) {
            w.release();
            if (ex.getReasonCode() == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                Thread.sleep(20); // broker's Receive Maximum reached: wait for PUBACKs, retry the same event
            } else {
                markDown(ex.getMessage());
            }
        }
    }

    private void announceGaps() {
        if (!up) {
            return;
        }
        for (EventSpool.Gap g : spool.pendingGaps()) {
            if (!gapsInFlight.add(g.fromSeq())) {
                continue;
            }
            String json = "{\"schema\":\"" + GAP_SCHEMA + "\",\"type\":\"gap\",\"time\":\"" + EventTime.format(System.currentTimeMillis())
                    + "\",\"device\":\"" + deviceId + "\",\"fromSeq\":" + g.fromSeq() + ",\"toSeq\":" + g.toSeq()
                    + ",\"count\":" + g.count() + ",\"reason\":\"" + g.reason() + "\"}";
            try {
                client.publish(gapTopic, json.getBytes(StandardCharsets.UTF_8), 1, false, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        spool.gapAnnounced(g);
                        gapNotices.incrementAndGet();
                        LOG.warnf("announced gap: seq %d..%d (%d events, %s)", g.fromSeq(), g.toSeq(), g.count(), g.reason());
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable ex) {
                        gapsInFlight.remove(g.fromSeq());
                    }
                });
            } catch (MqttException ex) {
                gapsInFlight.remove(g.fromSeq());
            }
        }
    }

    private void sleepUnlessClosed(long ms) {
        synchronized (work) {
            long end = System.currentTimeMillis() + ms;
            long left;
            while (!closed && (left = end - System.currentTimeMillis()) > 0) {
                try {
                    work.wait(left);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * Spools one event (committed before this returns) for delivery in seq order.
     *
     * @throws SinkException when the spool cannot store it
     */
    @Override
    public void sendEvent(long seq, String topic, byte[] payload) {
        try {
            spool.append(seq, topic, payload);
        } catch (RuntimeException e) {
            throw new SinkException("event spool " + spool.file() + ": " + e.getMessage(), e);
        }
        wake();
    }

    /**
     * Retained messages become state republished after every reconnect; other messages without a seq are
     * published directly (not spooled).
     *
     * @throws SinkException when a non-retained message cannot be handed over now
     */
    @Override
    public void send(String topic, byte[] payload, boolean retained) {
        if (retained) {
            synchronized (retainedState) {
                retainedState.put(topic, payload.clone());
            }
        }
        if (!up) {
            if (retained) {
                return; // goes out after the next connect
            }
            throw new SinkException("MQTT " + settings.redactedUrl() + ": not connected", null);
        }
        try {
            client.publish(topic, payload, settings.qos(), retained);
        } catch (MqttException e) {
            if (!retained) {
                throw new SinkException("MQTT " + settings.redactedUrl() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Publishes at the configured QoS; {@code acked} runs on Paho's callback thread when the PUBACK arrives. */
    @Override
    public void sendAcknowledged(String topic, byte[] payload, Runnable acked) {
        if (!up) {
            throw new SinkException("MQTT " + settings.redactedUrl() + ": not connected", null);
        }
        MqttMessage m = new MqttMessage(payload);
        m.setQos(settings.qos());
        try {
            client.publish(topic, m, null, new org.eclipse.paho.mqttv5.client.MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    acked.run();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    LOG.debugf("MQTT %s: %s not acknowledged: %s", settings.redactedUrl(), topic, e);
                }
            });
        } catch (MqttException e) {
            throw new SinkException("MQTT " + settings.redactedUrl() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits until connected.
     *
     * @return true when connected within {@code timeoutMs}
     */
    public boolean awaitConnected(long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (!connected() && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        return connected();
    }

    /**
     * Waits until the spool is empty (every event acknowledged).
     *
     * @return true when drained within {@code timeoutMs}
     */
    public boolean awaitDrained(long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (spool.depth() > 0 && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        return spool.depth() == 0;
    }

    @Override
    public boolean connected() {
        return up && client.isConnected();
    }

    /** Successful connects since start, the first included. */
    public long connects() {
        return connects.get();
    }

    /** Reconnects since start (connects after the first). */
    public long reconnects() {
        return Math.max(0, connects.get() - 1);
    }

    /** Events acknowledged by the broker since start. */
    public long eventsPublished() {
        return published.get();
    }

    /** Publishes of events that had been sent before in this process (after a connection loss). */
    public long eventsRetried() {
        return retried.get();
    }

    /** Events dropped by the spool's size or age bound or rejected by the broker, since the spool was created. */
    public long eventsDropped() {
        return spool.dropped();
    }

    /** Events the broker refused with an MQTT 5 error reason code (dropped, announced as a gap). */
    public long eventsRejected() {
        return rejected.get();
    }

    /** Gap notices acknowledged by the broker since start. */
    public long gapNotices() {
        return gapNotices.get();
    }

    /** Events waiting for PUBACK. */
    public long spoolDepth() {
        return spool.depth();
    }

    /** Age of the oldest pending event, ms (0 when none). */
    public long oldestPendingAgeMs() {
        return spool.oldestAgeMs(System.currentTimeMillis());
    }

    /** Epoch ms of the last change between connected and disconnected. */
    public long lastConnectedChangeMs() {
        return lastConnectedChangeMs;
    }

    /** The spool. */
    public EventSpool spool() {
        return spool;
    }

    /** The retained availability topic (LWT {@code offline}, {@code online} after each connect). */
    public String availabilityTopic() {
        return settings.availabilityTopic();
    }

    /**
     * Registers the delivery meters: gauges {@code edgewatch.mqtt.connected} (0/1), {@code edgewatch.spool.depth}
     * (events), {@code edgewatch.spool.oldest.age} (seconds), {@code edgewatch.spool.bytes}, {@code edgewatch.spool.writable}
     * (0 while the file cannot be written), {@code edgewatch.spool.held.memory} (events kept in memory meanwhile); counters
     * {@code edgewatch.spool.lost.disk.full},
     * {@code edgewatch.mqtt.events.published}, {@code .retried}, {@code .dropped}, {@code .rejected},
     * {@code edgewatch.mqtt.reconnects}.
     */
    public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        registry.gauge("edgewatch.mqtt.connected", this, s -> s.connected() ? 1 : 0);
        registry.gauge("edgewatch.spool.depth", this, s -> s.spoolDepth());
        registry.gauge("edgewatch.spool.oldest.age.seconds", this, s -> s.oldestPendingAgeMs() / 1000.0);
        registry.gauge("edgewatch.spool.bytes", spool, EventSpool::bytes);
        registry.gauge("edgewatch.spool.writable", spool, sp -> sp.writable() ? 1 : 0);
        registry.gauge("edgewatch.spool.held.memory", spool, EventSpool::heldInMemory);
        io.micrometer.core.instrument.FunctionCounter.builder("edgewatch.spool.lost.disk.full", spool, EventSpool::lostDiskFull).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("edgewatch.mqtt.events.published", this, MqttEventSink::eventsPublished).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("edgewatch.mqtt.events.retried", this, MqttEventSink::eventsRetried).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("edgewatch.mqtt.events.dropped", this, MqttEventSink::eventsDropped).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("edgewatch.mqtt.events.rejected", this, MqttEventSink::eventsRejected).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("edgewatch.mqtt.reconnects", this, MqttEventSink::reconnects).register(registry);
    }

    @Override
    public String describe() {
        return settings.redactedUrl();
    }

    /**
     * Gives pending events up to 2 s to drain while connected, publishes {@code offline}, disconnects and closes
     * the spool (what is not acknowledged stays in it for the next start).
     */
    @Override
    public void close() {
        try {
            if (connected()) {
                awaitDrained(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        wake();
        sender.interrupt();
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (client.isConnected()) {
                client.publish(settings.availabilityTopic(), "offline".getBytes(StandardCharsets.UTF_8), 1, true).waitForCompletion(2_000);
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            LOG.debugf("MQTT close: %s", e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debugf("MQTT close: %s", e.getMessage());
        }
        long left = spool.depth();
        if (left > 0) {
            LOG.warnf("MQTT %s: %d events not yet acknowledged stay in the spool %s and are sent after the next start",
                    settings.redactedUrl(), left, spool.file());
        }
        spool.close();
    }
}
