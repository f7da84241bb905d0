package io.edgewatch.homeassistant;

/**
 * The agent as a Home Assistant device.
 *
 * @param deviceId          {@code edgewatch.device-id}
 * @param swVersion         agent version (the {@code sw} of {@code dev} and {@code o})
 * @param availabilityTopic the agent's retained availability topic ({@code online}, Last Will {@code offline})
 */
public record DeviceInfo(String deviceId, String swVersion, String availabilityTopic) {
}
