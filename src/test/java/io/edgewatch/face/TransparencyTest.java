package io.edgewatch.face;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /transparency} over real HTTP, and the readiness check {@code faces} that the status summary reads. */
@QuarkusTest
@TestProfile(FacesEnabledProfile.class)
class TransparencyTest {
    @TestHTTPResource("/transparency")
    URI uri;

    @Test
    void statesWhatIsProcessed() throws Exception {
        try (HttpClient c = HttpClient.newHttpClient()) {
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
            System.out.println(r.body());
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode n = FaceTestSupport.MAPPER.readTree(r.body());
            assertThat(n.path("device").asText()).isEqualTo("facedev");
            assertThat(n.path("imagesLeaveDevice").asBoolean(true)).isFalse();
            assertThat(n.path("objectDetection").path("labels").toString()).contains("person");
            // no broker in this profile (and no agent running): the events would go to standard output, and it says so
            assertThat(n.path("objectDetection").path("output").asText())
                    .isEqualTo("metadata events (boxes, tracks, times) on standard output as JSON lines (no MQTT broker configured)");
            JsonNode f = n.path("faces");
            assertThat(f.path("enabled").asBoolean()).isTrue();
            assertThat(f.path("purpose").asText()).isEqualTo("test: staff entrance log");
            assertThat(f.path("legalBasis").asText()).isEqualTo("test: GDPR Art. 9(2)(a) explicit consent");
            assertThat(f.path("retentionDays").asInt()).isEqualTo(30);
            assertThat(f.path("embeddingsLeaveDevice").asBoolean(true)).isFalse();
            assertThat(f.path("embeddingsPublished").asText()).isEqualTo("never");
            assertThat(f.path("unknownTemplatesStored").asBoolean(true)).isFalse();
            assertThat(f.has("galleryTemplates")).isTrue();
            assertThat(f.path("threshold").asDouble()).isEqualTo(0.55);

            // the readiness check faces (behind the token) says the same, and the status summary shows it
            JsonNode ready = FaceTestSupport.MAPPER.readTree(io.edgewatch.testsupport.Management.authorized().get("/q/health/ready").asString());
            JsonNode liveDoc = FaceTestSupport.MAPPER.readTree(io.edgewatch.testsupport.Management.authorized().get("/q/health/live").asString());
            io.edgewatch.health.StatusSummary.Faces faces = io.edgewatch.health.StatusSummary.from(ready, liveDoc).faces();
            long identities = f.path("galleryIdentities").isNull() ? -1 : f.path("galleryIdentities").asLong();
            long templates = f.path("galleryTemplates").isNull() ? -1 : f.path("galleryTemplates").asLong();
            assertThat(faces).isEqualTo(new io.edgewatch.health.StatusSummary.Faces(true, "test: staff entrance log",
                    "test: GDPR Art. 9(2)(a) explicit consent", identities, templates));
        }
    }
}
