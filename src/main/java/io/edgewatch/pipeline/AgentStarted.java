package io.edgewatch.pipeline;

import java.util.List;

/**
 * CDI event fired once the agent's camera pipelines are running (health checks register per-camera checks on it).
 *
 * @param pipelines the running camera pipelines
 */
public record AgentStarted(List<CameraPipeline> pipelines) { }
