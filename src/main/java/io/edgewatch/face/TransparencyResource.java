package io.edgewatch.face;

import io.edgewatch.config.EdgewatchConfig;
import io.edgewatch.config.FacesConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /transparency}: what this agent processes, for data subjects, auditors and technicians (GDPR Art. 13/14
 * information, EU AI Act transparency): which analytics are on, and for faces the purpose, legal basis, retention,
 * gallery size, decision threshold, models, and whether embeddings or images leave the device (images never do).
 * Contains no personal data: no identity names, no templates.
 */
@Path("/transparency")
public class TransparencyResource {
    private final EdgewatchConfig config;
    private final FacesConfig faces;
    private final FaceRuntime runtime;
    private final io.edgewatch.events.EventOutput output;

    public TransparencyResource(EdgewatchConfig config, FacesConfig faces, FaceRuntime runtime, io.edgewatch.events.EventOutput output) {
        this.output = output;
        this.config = config;
        this.faces = faces;
        this.runtime = runtime;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> get() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("device", config.deviceId());
        out.put("imagesLeaveDevice", false);
        Map<String, Object> od = new LinkedHashMap<>();
        od.put("enabled", true);
        od.put("labels", config.detector().labels());
        // where the running agent's events go; before it has started, where the configuration sends them
        od.put("output", output.description().orElseGet(() -> io.edgewatch.events.EventOutput.sentence(config.mqtt().url().isPresent(),
                config.events().topicPrefix() + "/" + config.deviceId() + "/<camera>/events")));
        out.put("objectDetection", od);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("enabled", faces.enabled());
        if (faces.enabled()) {
            f.put("processing", "biometric identification of people enrolled on this device; everyone else is reported as unknown and"
                    + " their face templates are discarded at once");
            f.put("purpose", faces.purpose().orElse(null));
            f.put("legalBasis", faces.legalBasis().orElse(null));
            f.put("mode", faces.mode());
            f.put("retentionDays", faces.retentionDays() == 0 ? null : faces.retentionDays());
            f.put("retention", faces.retentionDays() == 0 ? "enrolled templates are kept until removed" : "enrolled templates expire after "
                    + faces.retentionDays() + " days");
            FaceService svc = runtime.current();
            if (svc != null) {
                f.put("galleryIdentities", svc.gallery().identities().size());
                f.put("galleryTemplates", svc.gallery().size());
            } else {
                f.put("galleryIdentities", null);
                f.put("galleryTemplates", null);
            }
            f.put("threshold", faces.threshold());
            f.put("grayscalePolicy", faces.grayscalePolicy());
            f.put("embeddingsLeaveDevice", faces.publishEmbeddings());
            f.put("embeddingsPublished", faces.publishEmbeddings()
                    ? "of identified people only (enrolled in this device's gallery): one embedding per identified track, in its event"
                    : "never");
            f.put("unknownTemplatesStored", false);
            f.put("auditLog", "append-only, SHA-256 hash-chained; also published on " + config.events().topicPrefix() + "/" + config.deviceId() + "/audit");
        } else {
            f.put("embeddingsLeaveDevice", false);
            f.put("embeddingsPublished", "never");
        }
        out.put("faces", f);
        return out;
    }
}
