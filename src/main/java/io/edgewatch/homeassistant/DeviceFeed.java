package io.edgewatch.homeassistant;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Where the device-wide Home Assistant values come from (read on the publisher's thread; thread-safe).
 *
 * @param spoolDepth      events in the spool waiting for PUBACK
 * @param brokerConnected whether the MQTT connection is up
 * @param modelsRunOn     what the models run on, e.g. {@code ssd-mobilenet-v2-coco: XNNPACK} (CPU, XNNPACK or NPU
 *                        per model)
 */
public record DeviceFeed(LongSupplier spoolDepth, BooleanSupplier brokerConnected, Supplier<String> modelsRunOn) {
}
