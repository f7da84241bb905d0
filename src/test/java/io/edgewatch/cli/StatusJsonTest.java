package io.edgewatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.health.StatusSummary;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code status --json} writes a figure health does not have yet (a steady invoke time still {@code pending}) as
 * {@code -1}, the README's "not known", so the field stays a number; Jackson's default would be the string "NaN".
 */
class StatusJsonTest {

    @Test
    void unknownFiguresAreMinusOneAndKnownOnesUnchanged() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<StatusSummary.Model> models = List.of(
                new StatusSummary.Model("pending-model", "xnnpack", false, "0/99", "skipped", Double.NaN),
                new StatusSummary.Model("measured-model", "xnnpack", false, "0/99", "skipped", 24.64));
        StatusSummary.Camera cam = new StatusSummary.Camera("front", "UP", "starting", Double.NaN, 4.5, 10, "excellent", 0, 0, 0, 0,
                null, 0, Map.of(), Map.of());
        JsonNode doc = mapper.readTree(StatusCommand.compact(mapper).writeValueAsString(Map.of("models", models, "cameras", List.of(cam))));
        JsonNode pending = doc.path("models").get(0).path("steadyInvokeMs");
        assertThat(pending.isNumber()).as(pending.toString()).isTrue();
        assertThat(pending.asDouble()).isEqualTo(-1.0);
        assertThat(doc.path("models").get(1).path("steadyInvokeMs").asDouble()).isEqualTo(24.64);
        assertThat(doc.path("cameras").get(0).path("fpsReceived").isNumber()).isTrue();
        assertThat(doc.path("cameras").get(0).path("fpsReceived").asDouble()).isEqualTo(-1.0);
        assertThat(doc.path("cameras").get(0).path("fpsProcessed").asDouble()).isEqualTo(4.5);
        // the table and the status page say pending, the JSON keeps only the number
        assertThat(models.get(0).steadyInvoke()).isEqualTo("pending");
        assertThat(models.get(1).steadyInvoke()).isEqualTo("24.64");
        assertThat(doc.path("models").get(0).has("steadyInvoke")).isFalse();
        // without the module: the string the trial found
        assertThat(mapper.writeValueAsString(models.get(0))).contains("\"steadyInvokeMs\":\"NaN\"");
    }
}
