package io.edgewatch.homeassistant;

import java.util.Map;
import java.util.function.Supplier;

/**
 * One Home Assistant entity of the discovery document: a component of the device ({@code cmps}) with its retained
 * state topic and where its value comes from.
 *
 * @param objectId   component id inside {@code cmps}, unique on the device ({@code <camera>__<key>} or {@code <key>})
 * @param platform   {@code sensor} or {@code binary_sensor} (the {@code p} key)
 * @param name       entity name shown by Home Assistant
 * @param stateTopic retained topic the value is published on
 * @param options    further documented component keys (device_class, unit_of_measurement, state_class,
 *                   entity_category, options, icon), in output order
 * @param value      current value as the state topic payload ({@code ON}/{@code OFF} for binary sensors); called on
 *                   the publisher's thread, must be cheap and thread-safe
 */
public record Entity(String objectId, String platform, String name, String stateTopic, Map<String, Object> options,
                     Supplier<String> value) {
    /** Platform of binary sensors. */
    public static final String BINARY_SENSOR = "binary_sensor";
    /** Platform of sensors. */
    public static final String SENSOR = "sensor";

    public Entity {
        if (!platform.equals(BINARY_SENSOR) && !platform.equals(SENSOR)) {
            throw new IllegalArgumentException("platform must be sensor or binary_sensor, was " + platform);
        }
        options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    }
}
