/**
 * Home Assistant MQTT discovery (README "Home Assistant"): the device document ({@link
 * io.edgewatch.homeassistant.DiscoveryDocument}), the entities and their state topics ({@link
 * io.edgewatch.homeassistant.EntityCatalog}), the per-entity publish limit ({@link
 * io.edgewatch.homeassistant.StateRateLimiter}) and the publisher ({@link
 * io.edgewatch.homeassistant.HomeAssistantPublisher}). Depends on no other edgewatch package: values come through
 * {@link io.edgewatch.homeassistant.CameraFeed} and {@link io.edgewatch.homeassistant.DeviceFeed}, the broker through
 * {@link io.edgewatch.homeassistant.HaTransport}; {@code pipeline} wires them.
 */
package io.edgewatch.homeassistant;
