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
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /transparency} with {@code publish-embeddings=true} (issue 10, item 7): it says embeddings leave the device and
 * whose (identified people only, which {@code FaceVideoTest} checks on the events), and still that no template of
 * an unknown person is stored.
 */
@QuarkusTest
@TestProfile(TransparencyPublishingTest.Profile.class)
class TransparencyPublishingTest {
    public static class Profile extends FacesEnabledProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(super.getConfigOverrides());
            m.put("edgewatch.faces.publish-embeddings", "true");
            return m;
        }
    }

    @TestHTTPResource("/transparency")
    URI uri;

    @Test
    void saysThatOnlyIdentifiedPeoplesEmbeddingsLeave() throws Exception {
        try (HttpClient c = HttpClient.newHttpClient()) {
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode f = FaceTestSupport.MAPPER.readTree(r.body()).path("faces");
            assertThat(f.path("enabled").asBoolean()).isTrue();
            assertThat(f.path("embeddingsLeaveDevice").asBoolean(false)).isTrue();
            assertThat(f.path("embeddingsPublished").asText()).startsWith("of identified people only");
            assertThat(f.path("unknownTemplatesStored").asBoolean(true)).isFalse();
            assertThat(FaceTestSupport.MAPPER.readTree(r.body()).path("imagesLeaveDevice").asBoolean(true)).isFalse();
        }
    }
}
