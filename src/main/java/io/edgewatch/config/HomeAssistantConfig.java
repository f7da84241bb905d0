package io.edgewatch.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;

/**
 * Home Assistant MQTT discovery, prefix {@code edgewatch.homeassistant} (README "Home Assistant"). Off by default;
 * needs a broker ({@code edgewatch.mqtt.url}).
 */
@ConfigMapping(prefix = "edgewatch.homeassistant")
public interface HomeAssistantConfig {
    /** Publish one retained device discovery document and the retained state topics it names. */
    @WithDefault("false")
    @WithConverter(StrictBooleanConverter.class)
    boolean enabled();

    /**
     * Home Assistant's discovery prefix (its MQTT integration setting, {@code homeassistant} by default): one or more
     * topic levels, none empty, without the wildcards {@code +} and {@code #}.
     */
    @WithDefault("homeassistant")
    @Pattern(regexp = "[^/+#\\u0000]{1,64}(/[^/+#\\u0000]{1,64}){0,7}",
            message = "must be 1..8 MQTT topic levels without the wildcards '+' and '#' and without an empty level, e.g. homeassistant, was '${validatedValue}'")
    String discoveryPrefix();

    /**
     * Publish the identities of the people recognised on each camera (a "people identified" sensor). Takes effect only
     * with {@code edgewatch.faces.enabled=true}; written to the face audit log at every start while on.
     */
    @WithDefault("false")
    @WithConverter(StrictBooleanConverter.class)
    boolean publishIdentities();
}
