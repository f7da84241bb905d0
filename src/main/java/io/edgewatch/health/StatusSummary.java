package io.edgewatch.health;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgewatch.util.Redaction;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a field technician needs to see of a running agent, built from its own health answers (the documents of
 * {@code /q/health/ready} and {@code /q/health/live}, read with the access token): one value shared by
 * {@code edgewatch status} and the management status page, so both always show the same thing. Only figures and
 * redacted texts: no camera URL credential, no face identity name, no token.
 *
 * @param status   overall readiness, {@code UP} or {@code DOWN}
 * @param device   {@code edgewatch.device-id}, or null when the liveness document did not say
 * @param version  the agent's version, or null
 * @param uptimeS  seconds since the agent's JVM started, or -1 when unknown
 * @param cameras  one per {@code camera-<id>} check, in the order the agent reports them
 * @param models   one per model of the {@code models} check
 * @param broker   the {@code broker} check, or null when absent
 * @param faces    the {@code faces} check, or null when absent
 */
@io.quarkus.runtime.annotations.RegisterForReflection // serialised by Jackson in status --json, also in a native image
public record StatusSummary(String status, String device, String version, long uptimeS, List<Camera> cameras,
                            List<Model> models, Broker broker, Faces faces) {

    /** Longest {@code lastError} kept, characters (the health answer has the whole text). */
    public static final int MAX_ERROR_CHARS = 160;

    /**
     * {@code err} cut to {@link #MAX_ERROR_CHARS}: the start (which camera, which source) and, when the text ends with
     * FFmpeg's own reason ({@code (FFmpeg: ... 401 Unauthorized)}), that reason, with {@code ...} between; the reason
     * is what a technician acts on, and a cut in the middle would drop it.
     */
    static String shorten(String err) {
        if (err.length() <= MAX_ERROR_CHARS) {
            return err;
        }
        int i = err.lastIndexOf(" (FFmpeg: ");
        String tail = i >= 0 ? err.substring(i) : "";
        if (tail.length() > MAX_ERROR_CHARS / 2) {
            tail = tail.substring(0, MAX_ERROR_CHARS / 2 - 3) + "...";
        }
        return err.substring(0, MAX_ERROR_CHARS - tail.length() - 4) + " ..." + tail;
    }

    /**
     * One camera.
     *
     * @param id                 camera id
     * @param status             its check, {@code UP} or {@code DOWN}
     * @param state              capture state ({@code streaming}, {@code reconnecting}, {@code failed}, {@code ended} ...)
     * @param fpsReceived        frames per second decoded, last seconds
     * @param fpsProcessed       frames per second through the pipeline
     * @param fpsExpected        {@code expected-fps} of the camera (0 = not set)
     * @param quality            connection quality over the last hour: excellent, fair, poor, unusable
     * @param reconnects         reconnects since start
     * @param reconnectsLastHour reconnects in the last hour
     * @param stalls             stalls since start
     * @param stallsLastHour     stalls in the last hour
     * @param lastError          last error, credentials redacted, at most {@link #MAX_ERROR_CHARS}; null when none
     * @param activeTracks       tracks followed now
     * @param zoneObjects        zone name to confirmed tracks in it now (empty without zones)
     * @param lineCrossings      line name to crossings since start (empty without lines)
     */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Camera(String id, String status, String state, double fpsReceived, double fpsProcessed, double fpsExpected,
                         String quality, long reconnects, long reconnectsLastHour, long stalls, long stallsLastHour,
                         String lastError, long activeTracks, Map<String, Long> zoneObjects, Map<String, LineCrossings> lineCrossings) {
    }

    /** Crossings of one counting line since start, each direction. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record LineCrossings(long in, long out) {
    }

    /**
     * One model.
     *
     * @param id              model id
     * @param runsOn          what it runs on ({@code cpu}, a delegate's name)
     * @param delegateApplied whether the configured delegate took it
     * @param nodesDelegated  {@code delegated/total} graph nodes
     * @param golden          golden-result check: pass, fail, skipped ...
     * @param steadyInvokeMs  invoke time after warm-up, ms; NaN while it is measured on the first live invokes
     */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Model(String id, String runsOn, boolean delegateApplied, String nodesDelegated, String golden, double steadyInvokeMs) {
        /**
         * The steady invoke time as the table and the status page show it: two decimals, or {@code pending} while the
         * loaded model's first live invokes are still being timed (health's {@code steadyInvokeMs=pending}).
         */
        public String steadyInvoke() {
            return Double.isNaN(steadyInvokeMs) ? "pending" : fps(steadyInvokeMs);
        }
    }

    /**
     * Event delivery.
     *
     * @param status             its check, {@code UP} or {@code DOWN}
     * @param sink               where events go ({@code tcp://host:port}, {@code stdout}), no credential
     * @param connected          whether the broker is connected
     * @param spoolDepth         events waiting in the spool, -1 without a spool (standard output)
     * @param oldestPendingAgeMs age of the oldest waiting event, ms, -1 without a spool
     * @param lastConnectError   while not connected, why the last connection attempt failed (redacted), or null
     */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Broker(String status, String sink, boolean connected, long spoolDepth, long oldestPendingAgeMs, String lastConnectError) {
    }

    /**
     * Face recognition, counts only.
     *
     * @param enabled           whether it is on
     * @param purpose           declared purpose (null when off)
     * @param legalBasis        declared legal basis (null when off)
     * @param galleryIdentities people enrolled, -1 when unknown or off
     * @param galleryTemplates  templates in the gallery, -1 when unknown or off
     */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Faces(boolean enabled, String purpose, String legalBasis, long galleryIdentities, long galleryTemplates) {
    }

    /** Whether the agent reported itself ready. */
    public boolean up() {
        return "UP".equals(status);
    }

    /**
     * Builds the summary.
     *
     * @param ready the {@code /q/health/ready} document ({@code {"status":..,"checks":[{"name","status","data"}]}})
     * @param live  the {@code /q/health/live} document, or null (device, version and uptime then unknown)
     * @throws IllegalArgumentException when {@code ready} has no {@code status} (not a health document)
     */
    public static StatusSummary from(JsonNode ready, JsonNode live) {
        if (ready == null || !ready.path("status").isTextual()) {
            throw new IllegalArgumentException("not a health document: no \"status\"");
        }
        String device = null;
        String version = null;
        long uptime = -1;
        if (live != null) {
            for (JsonNode c : live.path("checks")) {
                if ("agent".equals(c.path("name").asText())) {
                    JsonNode d = c.path("data");
                    device = text(d, "device");
                    version = text(d, "version");
                    uptime = num(d, "uptimeS", -1);
                }
            }
        }
        List<Camera> cameras = new ArrayList<>();
        List<Model> models = new ArrayList<>();
        Broker broker = null;
        Faces faces = null;
        for (JsonNode c : ready.path("checks")) {
            String name = c.path("name").asText();
            String st = c.path("status").asText();
            JsonNode d = c.path("data");
            if (name.startsWith("camera-")) {
                cameras.add(camera(name.substring("camera-".length()), st, d));
            } else if (name.equals("models")) {
                models.addAll(models(d));
            } else if (name.equals("broker")) {
                String connectError = text(d, "lastConnectError");
                broker = new Broker(st, text(d, "sink"), d.path("connected").asBoolean(false), num(d, "spoolDepth", -1),
                        num(d, "oldestPendingAgeMs", -1), connectError == null ? null : shorten(Redaction.text(connectError)));
            } else if (name.equals("faces")) {
                boolean on = d.path("enabled").asBoolean(false);
                faces = new Faces(on, on ? text(d, "purpose") : null, on ? text(d, "legalBasis") : null,
                        num(d, "galleryIdentities", -1), num(d, "galleryTemplates", -1));
            }
        }
        return new StatusSummary(ready.path("status").asText(), device, version, uptime, List.copyOf(cameras), List.copyOf(models),
                broker, faces);
    }

    private static Camera camera(String id, String status, JsonNode d) {
        Map<String, Long> zones = new LinkedHashMap<>();
        Map<String, LineCrossings> lines = new LinkedHashMap<>();
        for (Iterator<String> it = d.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.startsWith("zone.") && k.endsWith(".objects")) {
                zones.put(k.substring(5, k.length() - ".objects".length()), num(d, k, 0));
            } else if (k.startsWith("line.") && k.endsWith(".in")) {
                String line = k.substring(5, k.length() - ".in".length());
                lines.put(line, new LineCrossings(num(d, k, 0), num(d, "line." + line + ".out", 0)));
            }
        }
        String err = text(d, "lastError");
        if (err != null) {
            err = Redaction.text(err);
            err = shorten(err);
        }
        return new Camera(id, status, text(d, "state"), dbl(d, "fpsReceived"), dbl(d, "fpsProcessed"), dbl(d, "fpsExpected"),
                text(d, "quality"), num(d, "reconnects", 0), num(d, "reconnectsLastHour", 0), num(d, "stalls", 0),
                num(d, "stallsLastHour", 0), err, num(d, "activeTracks", 0), Map.copyOf(zones), Map.copyOf(lines));
    }

    private static List<Model> models(JsonNode d) {
        List<Model> out = new ArrayList<>();
        for (Iterator<String> it = d.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.endsWith(".runsOn")) {
                String m = k.substring(0, k.length() - ".runsOn".length());
                out.add(new Model(m, text(d, k), d.path(m + ".delegateApplied").asBoolean(false), text(d, m + ".nodesDelegated"),
                        text(d, m + ".golden"), dbl(d, m + ".steadyInvokeMs")));
            }
        }
        return out;
    }

    private static String text(JsonNode d, String k) {
        JsonNode v = d.get(k);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A number the health API carries as a long or as a string. */
    private static long num(JsonNode d, String k, long absent) {
        JsonNode v = d.get(k);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (v.isNumber()) {
            return v.asLong();
        }
        try {
            return Long.parseLong(v.asText().strip());
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    private static double dbl(JsonNode d, String k) {
        JsonNode v = d.get(k);
        if (v == null || v.isNull()) {
            return Double.NaN;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        try {
            return Double.parseDouble(v.asText().strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * The summary as the terminal table of {@code edgewatch status}: a header line, one row per camera, per model,
     * the broker and faces; figures with two decimals, {@code -} for an unknown value. Ends with a newline.
     */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("edgewatch ").append(status).append("  device ").append(dash(device)).append("  version ").append(dash(version))
                .append("  uptime ").append(uptimeS < 0 ? "-" : duration(uptimeS)).append('\n');
        sb.append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"CAMERA", "STATUS", "STATE", "FPS RX/PROC/EXP", "QUALITY", "RECONNECTS(1H)", "STALLS(1H)", "TRACKS", "LAST ERROR"});
        for (Camera c : cameras) {
            rows.add(new String[]{c.id(), c.status(), dash(c.state()), fps(c.fpsReceived()) + "/" + fps(c.fpsProcessed()) + "/" + fps(c.fpsExpected()),
                    dash(c.quality()), c.reconnects() + "(" + c.reconnectsLastHour() + ")", c.stalls() + "(" + c.stallsLastHour() + ")",
                    Long.toString(c.activeTracks()), dash(c.lastError())});
        }
        table(sb, rows);
        for (Camera c : cameras) {
            c.zoneObjects().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(z ->
                    sb.append("  ").append(c.id()).append(" zone ").append(z.getKey()).append(": ").append(z.getValue()).append(" now\n"));
            c.lineCrossings().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(l ->
                    sb.append("  ").append(c.id()).append(" line ").append(l.getKey()).append(": in ").append(l.getValue().in())
                            .append(" out ").append(l.getValue().out()).append('\n'));
        }
        sb.append('\n');
        rows = new ArrayList<>();
        rows.add(new String[]{"MODEL", "RUNS ON", "DELEGATE", "NODES", "GOLDEN", "INVOKE MS"});
        for (Model m : models) {
            rows.add(new String[]{m.id(), dash(m.runsOn()), m.delegateApplied() ? "applied" : "not applied", dash(m.nodesDelegated()),
                    dash(m.golden()), m.steadyInvoke()});
        }
        table(sb, rows);
        sb.append('\n');
        if (broker == null) {
            sb.append("broker: -\n");
        } else {
            sb.append("broker: ").append(broker.status()).append("  ").append(dash(broker.sink())).append("  ")
                    .append(broker.connected() ? "connected" : "NOT connected");
            if (broker.spoolDepth() >= 0) {
                sb.append("  spool ").append(broker.spoolDepth()).append(" pending, oldest ")
                        .append(broker.oldestPendingAgeMs() < 0 ? "-" : broker.oldestPendingAgeMs() / 1000 + " s");
            }
            sb.append('\n');
            if (!broker.connected() && broker.lastConnectError() != null) {
                sb.append("  last connect attempt: ").append(broker.lastConnectError()).append('\n');
            }
        }
        if (faces == null) {
            sb.append("faces: -\n");
        } else if (!faces.enabled()) {
            sb.append("faces: off\n");
        } else {
            sb.append("faces: on  purpose ").append(dash(faces.purpose())).append("  legal basis ").append(dash(faces.legalBasis()))
                    .append("  gallery ").append(faces.galleryIdentities() < 0 ? "-" : faces.galleryIdentities()).append(" people, ")
                    .append(faces.galleryTemplates() < 0 ? "-" : faces.galleryTemplates()).append(" templates\n");
        }
        return sb.toString();
    }

    /** Seconds as {@code 3d 04:05:06} or {@code 04:05:06}. */
    public static String duration(long s) {
        long d = s / 86_400;
        String hms = String.format(Locale.ROOT, "%02d:%02d:%02d", (s % 86_400) / 3600, (s % 3600) / 60, s % 60);
        return d > 0 ? d + "d " + hms : hms;
    }

    /** Two decimals, {@code -} for NaN. */
    public static String fps(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static void table(StringBuilder sb, List<String[]> rows) {
        int[] w = new int[rows.getFirst().length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length - 1; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i < r.length - 1 ? String.format(Locale.ROOT, "%-" + w[i] + "s  ", r[i]) : r[i]);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
