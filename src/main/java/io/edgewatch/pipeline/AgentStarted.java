package io.edgewatch.pipeline;

import io.edgewatch.detect.DetectorService;

import java.util.List;

/**
 * CDI event fired once the agent's camera pipelines are running (health checks register per-camera checks on it).
 *
 * @param pipelines the running camera pipelines
 * @param detector  the detector they share
 */
public record AgentStarted(List<CameraPipeline> pipelines, DetectorService detector) { }
