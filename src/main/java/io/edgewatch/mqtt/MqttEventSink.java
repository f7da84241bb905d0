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
 *   <li>Failover: with several broker URLs ({@link MqttSettings#urls()}, the nodes of a cluster) each connect tries
 *   them in order starting with the node after the one last connected to (Paho's server URI list); the node in use
 *   is {@link #node()}, every switch is logged.</li>
 *   <li>Client-id conflict: {@value #CONFLICT_TAKEOVERS} session take-overs (DISCONNECT reason 0x8E) within
 *   {@value #CONFLICT_WINDOW_MS} ms mean another client uses the same client id; it is logged and reported
 *   ({@link #clientIdConflict()}) and reconnects slow down to one try every {@value #CONFLICT_RETRY_MS} ms.</li>
 *   <li>Broker refusals: a PUBACK with reason code 0x80, 0x83, 0x87, 0x91 or 0x97 keeps the event in the spool and
 *   pauses sending with the reconnect back-off ({@link #eventsRefused()}); 0x90 and 0x99 (the event itself can
 *   never be accepted) drop it and announce a gap ({@link #eventsRejected()}). {@link #sendEvent} never waits for
 *   the broker.</li>
 * </ul>
 * Thread-safe.
 */
public final class MqttEventSink implements EventSink {
    private static final Logger LOG = Logger.getLogger(MqttEventSink.class);
    /** Schema id of gap notices. */
    public static final String GAP_SCHEMA = "edgewatch.gap/1";
    /** Session take-overs (reason 0x8E) within {@link #CONFLICT_WINDOW_MS} that make a client-id conflict. */
    public static final int CONFLICT_TAKEOVERS = 2;
    /** Window of {@link #CONFLICT_TAKEOVERS}, ms; a conflict also clears after staying connected this long. */
    public static final long CONFLICT_WINDOW_MS = 300_000;
    /** Delay between connect tries while a client-id conflict stands, ms. */
    public static final long CONFLICT_RETRY_MS = 60_000;
    /** MQTT 5 DISCONNECT reason code "Session taken over" (MQTT 5, 3.14.2.1). */
    public static final int SESSION_TAKEN_OVER = 0x8E;

    private final MqttSettings settings;
    private final SpoolSettings spoolSettings;
    private final EventSpool spool;
    /** Meters registered by {@link #bindMetrics}; removed at {@link #close}. */
    private final io.edgewatch.util.OwnedMeters meters = new io.edgewatch.util.OwnedMeters();
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
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong takeovers = new AtomicLong();
    private final java.util.ArrayDeque<Long> takeoverTimesMs = new java.util.ArrayDeque<>();
    private final List<String> nodes;
    private volatile long lastConnectedChangeMs = System.currentTimeMillis();
    private volatile String node;
    private int nextNode;
    private volatile boolean conflict;
    private volatile String conflictMessage;
    private volatile long conflictRetryAtMs;
    private volatile boolean closedByBroker;
    private volatile long pausedUntilMs;
    private long refusalBackoffMs;
    private volatile String lastRefusal;
    /** Why the last connection attempt failed (redacted), or null after a successful connect. */
    private volatile String lastConnectError;

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
        this.nodes = settings.urls();
        this.options = new MqttConnectionOptions();
        for (String u : nodes) {
            try {
                options.setServerURIs(new String[]{u}); // Paho's own check of one URI
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("edgewatch.mqtt.url entry '" + io.edgewatch.util.Redaction.url(u) + "' is not usable: "
                        + e.getMessage(), e);
            }
        }
        try {
            this.client = new MqttAsyncClient(nodes.getFirst(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw new IllegalArgumentException("edgewatch.mqtt.url '" + settings.redactedUrl() + "' is not usable: " + e.getMessage(), e);
        }
        options.setCleanStart(true);
        options.setSessionExpiryInterval(MqttSettings.SESSION_EXPIRY_S);
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
                long now = System.currentTimeMillis();
                if (conflict) {
                    conflictRetryAtMs = now + CONFLICT_RETRY_MS; // no fight: the other client keeps the session for now
                }
                closedByBroker = false;
                if (r.getReturnCode() == SESSION_TAKEN_OVER) {
                    sessionTakenOver(CONFLICT_TAKEOVERS, "took over the session (DISCONNECT reason 0x8E)");
                } else if (rootCause(r.getException()) instanceof java.io.EOFException) {
                    closedByBroker = true; // counted as a take-over if the broker takes the reconnect at once
                }
                markDown(r.getReasonString() != null ? r.getReasonString() + " (reason 0x" + Integer.toHexString(r.getReturnCode()) + ")"
                        : r.getReturnCode() != 0 ? "reason 0x" + Integer.toHexString(r.getReturnCode()) : String.valueOf(r.getException()));
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
                    redactedNode(), why, spool.depth());
        }
        wake();
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c != null && c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * Counts a take-over and declares the conflict at {@code threshold} take-overs within the window. Mosquitto (2.0)
     * closes the older connection without a DISCONNECT; so a close by the broker (end of stream) followed by a reconnect
     * that the broker accepts at the first try counts too, with a threshold of {@code CONFLICT_TAKEOVERS + 1}.
     */
    private void sessionTakenOver(int threshold, String how) {
        long now = System.currentTimeMillis();
        takeovers.incrementAndGet();
        int recent;
        synchronized (takeoverTimesMs) {
            takeoverTimesMs.addLast(now);
            while (!takeoverTimesMs.isEmpty() && now - takeoverTimesMs.getFirst() > CONFLICT_WINDOW_MS) {
                takeoverTimesMs.removeFirst();
            }
            recent = takeoverTimesMs.size();
        }
        if (recent >= threshold || conflict) {
            String msg = "another client with the same client id " + settings.clientId() + " on " + redactedNode() + ": it " + how + " "
                    + recent + " times within " + CONFLICT_WINDOW_MS / 1000 + " s; two devices flashed with the same"
                    + " edgewatch.device-id (or edgewatch.mqtt.client-id)? retrying every " + CONFLICT_RETRY_MS / 1000 + " s instead of"
                    + " fighting for the session";
            if (threshold == CONFLICT_TAKEOVERS) {
                conflictRetryAtMs = now + CONFLICT_RETRY_MS;
            }
            if (!conflict) {
                LOG.error("MQTT client id conflict: " + msg);
            }
            conflictMessage = msg;
            conflict = true;
        } else {
            LOG.warnf("MQTT %s: client id %s: the broker %s; reconnecting", redactedNode(), settings.clientId(),
                    how.replace("took over", "reports another client took over"));
        }
    }

    private String redactedNode() {
        String n = node;
        return n == null ? settings.redactedUrl() : io.edgewatch.util.Redaction.url(n);
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
                    long conflictWait = conflict ? conflictRetryAtMs - System.currentTimeMillis() : 0;
                    if (conflictWait > 0) {
                        sleepUnlessClosed(conflictWait);
                        continue;
                    }
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
                    if (conflict && now - lastConnectedChangeMs >= CONFLICT_WINDOW_MS) {
                        conflict = false;
                        conflictMessage = null;
                        LOG.infof("MQTT client id %s: no session take-over for %d s, the client-id conflict is cleared",
                                settings.clientId(), CONFLICT_WINDOW_MS / 1000);
                    }
                }
                long pause = pausedUntilMs - now;
                if (pause > 0) {
                    sleepUnlessClosed(Math.min(pause, 200)); // the broker refused events: back off, keep them spooled
                    continue;
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
        String[] order = new String[nodes.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = nodes.get((nextNode + i) % order.length);
        }
        options.setServerURIs(order);
        try {
            client.connect(options).waitForCompletion(15L * order.length * 1_000);
        } catch (MqttException e) {
            String why = connectFailure(e);
            if (e.getReasonCode() == 0x86 || e.getReasonCode() == 0x87 || e.getReasonCode() == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_FAILED_AUTHENTICATION
                    || e.getReasonCode() == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_NOT_AUTHORIZED) {
                lastConnectError = "the broker refused the credentials (edgewatch.mqtt.username / password / password-file): " + why;
                LOG.errorf("MQTT %s refused the credentials (edgewatch.mqtt.username / password / password-file): %s", settings.redactedUrl(), why);
            } else {
                lastConnectError = why;
                LOG.warnf("MQTT %s not reachable (%s); %d events pending in the spool", settings.redactedUrl(), why, spool.depth());
            }
            closedByBroker = false; // the broker was not back at once: a restart, not a take-over
            return false;
        }
        if (closedByBroker) {
            closedByBroker = false;
            sessionTakenOver(CONFLICT_TAKEOVERS + 1, "closed this agent's connection and accepted its reconnect at once (the way"
                    + " Mosquitto ends the older of two sessions of one client id)");
        }
        lastConnectError = null;
        String previous = node;
        String current = client.getCurrentServerURI();
        int index = nodes.indexOf(current);
        node = index >= 0 ? nodes.get(index) : current;
        nextNode = nodes.size() > 1 ? (Math.max(index, 0) + 1) % nodes.size() : 0; // after a loss, the next node first
        generation++;
        window = new Semaphore(spoolSettings.inflightWindow());
        cursor = 0;
        resend = false;
        gapsInFlight.clear();
        up = true;
        lastConnectedChangeMs = System.currentTimeMillis();
        long n = connects.incrementAndGet();
        if (previous != null && !previous.equals(node)) {
            LOG.warnf("MQTT switched broker node from %s to %s (edgewatch.mqtt.url lists %d); %d events pending are resent",
                    io.edgewatch.util.Redaction.url(previous), redactedNode(), nodes.size(), spool.depth());
        }
        LOG.infof("MQTT connected to %s%s; %d events pending", redactedNode(), n > 1 ? " (reconnect)" : "", spool.depth());
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
                        refusedByBroker(e, rc[0], gen);
                    } else {
                        spool.remove(e.seq());
                        published.incrementAndGet();
                        acceptedAgain();
                    }
                    w.release();
                    wake();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable ex) {
                    w.release();
                    int rc = ex instanceof MqttException me ? me.getReasonCode() : 0;
                    if (rc >= 0x80 && rc <= 0xFF) {
                        refusedByBroker(e, rc, gen);
                    } else if (gen == generation) {
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

    /** What a PUBACK reason code of 0x80 or above does, and its MQTT 5 name (3.4.2.1). */
    static boolean permanentRefusal(int reasonCode) {
        return reasonCode == 0x90 || reasonCode == 0x99; // topic name invalid, payload format invalid: never accepted
    }

    static String reasonName(int reasonCode) {
        return switch (reasonCode) {
            case 0x80 -> "unspecified error";
            case 0x83 -> "implementation specific error";
            case 0x87 -> "not authorized";
            case 0x90 -> "topic name invalid";
            case 0x91 -> "packet identifier in use";
            case 0x97 -> "quota exceeded";
            case 0x99 -> "payload format invalid";
            default -> "reason code";
        };
    }

    private void refusedByBroker(EventSpool.Entry e, int rc, int gen) {
        String what = String.format("0x%02x %s", rc, reasonName(rc));
        if (permanentRefusal(rc)) {
            rejected.incrementAndGet();
            LOG.errorf("MQTT broker rejected event seq %d on %s with %s; it can never be accepted, so it is dropped and announced as a gap",
                    e.seq(), e.topic(), what);
            spool.reject(e.seq());
            return;
        }
        refused.incrementAndGet();
        lastRefusal = what + " for seq " + e.seq() + " on " + e.topic();
        long now = System.currentTimeMillis();
        long delay = 0;
        boolean first = false;
        synchronized (this) {
            if (now >= pausedUntilMs) { // not already pausing for an earlier refusal of the same window
                first = refusalBackoffMs == 0;
                refusalBackoffMs = first ? spoolSettings.reconnectMinMs() : Math.min(spoolSettings.reconnectMaxMs(), refusalBackoffMs * 2);
                delay = (long) (refusalBackoffMs * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
                pausedUntilMs = now + delay;
            }
        }
        if (gen == generation) {
            resend = true;
        }
        if (first) {
            LOG.warnf("MQTT %s refused event seq %d on %s with %s; it stays in the spool and is retried after %d ms (back-off up to %d ms);"
                    + " %d events pending", redactedNode(), e.seq(), e.topic(), what, delay, spoolSettings.reconnectMaxMs(), spool.depth());
        } else if (delay > 0) {
            LOG.debugf("MQTT %s refused event seq %d with %s again; retry in %d ms", redactedNode(), e.seq(), what, delay);
        }
    }

    private void acceptedAgain() {
        if (refusalBackoffMs == 0) {
            return;
        }
        synchronized (this) {
            if (refusalBackoffMs == 0) {
                return;
            }
            refusalBackoffMs = 0;
        }
        LOG.infof("MQTT %s accepts events again (%d refusals so far, last %s); %d events pending", redactedNode(), refused.get(),
                lastRefusal, spool.depth());
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

    /**
     * Refusals since start: PUBACKs with a reason code that keeps the event in the spool (0x80, 0x83, 0x87, 0x91, 0x97;
     * one event refused three times counts three).
     */
    public long eventsRefused() {
        return refused.get();
    }

    /** The last refusal, e.g. {@code 0x87 not authorized for seq 12 on edgewatch/dev/cam1/events}; null when none. */
    public String lastRefusal() {
        return lastRefusal;
    }

    /**
     * Why the last connection attempt failed, credentials redacted (e.g. {@code Connection refused}, a TLS certificate
     * that is not trusted or not for the host, an unknown host), or null when the last attempt connected.
     */
    public String lastConnectError() {
        return lastConnectError;
    }

    /**
     * The deepest cause first, then Paho's own message: Paho wraps TLS, DNS and socket errors as "Untranslated
     * MqttException" or "Unable to connect to server", and the cause is what a technician acts on (PKIX path building
     * failed, No name matching ..., UnknownHostException, Connection refused). Redacted.
     */
    static String connectFailure(Throwable e) {
        Throwable root = e;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 8; depth++) {
            root = root.getCause();
        }
        String paho = String.valueOf(e.getMessage());
        if (root == e) {
            return io.edgewatch.util.Redaction.text(paho);
        }
        String cause = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return io.edgewatch.util.Redaction.text(cause + " (MQTT client: " + paho + ")");
    }

    /** The broker URL (credentials redacted) connected to now or last; null before the first connect. */
    public String node() {
        String n = node;
        return n == null ? null : io.edgewatch.util.Redaction.url(n);
    }

    /** Session take-overs (DISCONNECT reason 0x8E) since start. */
    public long sessionTakeovers() {
        return takeovers.get();
    }

    /** True while another client with the same client id keeps taking the session over (see the class comment). */
    public boolean clientIdConflict() {
        return conflict;
    }

    /** What the conflict is and what to check, naming the client id; null without a conflict. */
    public String clientIdConflictMessage() {
        return conflictMessage;
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
     * {@code edgewatch.mqtt.events.published}, {@code .retried}, {@code .dropped}, {@code .rejected}, {@code .refused},
     * {@code edgewatch.mqtt.reconnects}, {@code edgewatch.mqtt.session.takeovers}; gauge {@code edgewatch.mqtt.client.id.conflict} (0/1).
     * {@link #close} removes them again.
     */
    public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        meters.keep(registry, io.micrometer.core.instrument.Gauge.builder("edgewatch.mqtt.connected", this, s -> s.connected() ? 1 : 0).register(registry));
        meters.keep(registry, io.micrometer.core.instrument.Gauge.builder("edgewatch.spool.depth", this, s -> s.spoolDepth()).register(registry));
        meters.keep(registry, io.micrometer.core.instrument.Gauge.builder("edgewatch.spool.oldest.age.seconds", this, s -> s.oldestPendingAgeMs() / 1000.0).register(registry));
        meters.keep(registry, io.micrometer.core.instrument.Gauge.builder("edgewatch.spool.bytes", spool, EventSpool::bytes).register(registry));
        meters.keep(registry, io.micrometer.core.instrument.Gauge.builder("edgewatch.spool.writable", spool, sp -> sp.writable() ? 1 : 0).register(registry));
        meters.keep(registry, io.micrometer.core.instrument.Gauge.builder("edgewatch.spool.held.memory", spool, EventSpool::heldInMemory).register(registry));
        meters.keep(registry, io.micrometer.core.instrument.FunctionCounter.builder("edgewatch.spool.lost.disk.full", spool, EventSpool::lostDiskFull).register(registry));
        meters.keep(registry, io.micrometer.core.instrument.FunctionCounter.builder("edgewatch.mqtt.events.published", this, MqttEventSink::eventsPublished).register(registry));
        meters.keep(registry, io.micrometer.core.instrument.FunctionCounter.builder("edgewatch.mqtt.events.retried", this, MqttEventSink::eventsRetried).register(registry));
        meters.keep(registry, io.micrometer.core.instrument.FunctionCounter.builder("edgewatch.mqtt.events.dropped", this, MqttEventSink::eventsDropped).register(registry));
        meters.keep(registry, io.micrometer.core.instrument.FunctionCounter.builder("edgewatch.mqtt.events.rejected", this, MqttEventSink::eventsRejected).register(registry));
        meters.keep(registry, io.micrometer.core.instrument.FunctionCounter.builder("edgewatch.mqtt.reconnects", this, MqttEventSink::reconnects).register(registry));
        meters.keep(registry, io.micrometer.core.instrument.FunctionCounter.builder("edgewatch.mqtt.events.refused", this, MqttEventSink::eventsRefused).register(registry));
        meters.keep(registry, io.micrometer.core.instrument.FunctionCounter.builder("edgewatch.mqtt.session.takeovers", this, MqttEventSink::sessionTakeovers).register(registry));
        meters.keep(registry, io.micrometer.core.instrument.Gauge.builder("edgewatch.mqtt.client.id.conflict", this, s -> s.clientIdConflict() ? 1 : 0).register(registry));
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
        meters.removeAll(); // before the spool closes: its gauges read it; a sink created after this one binds its own
        spool.close();
    }
}
