package io.edgewatch.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Set;

/** Validates JSON against the published event schema (src/main/resources/schema/track-event-v1.schema.json). */
public final class EventSchema {
    private static final JsonSchema SCHEMA = load();

    private EventSchema() {
    }

    private static JsonSchema load() {
        try (InputStream in = Files.newInputStream(TestPaths.projectRoot().resolve("src/main/resources/schema/track-event-v1.schema.json"))) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Validation messages; empty when valid. */
    public static Set<ValidationMessage> validate(JsonNode event) {
        return SCHEMA.validate(event);
    }
}
