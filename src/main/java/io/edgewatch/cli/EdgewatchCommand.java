package io.edgewatch.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine;

/**
 * The {@code edgewatch} command line: {@code run} starts the agent, {@code bench} measures the pipeline,
 * {@code doctor} checks an installation, {@code status} summarises the running agent.
 */
@TopCommand
@CommandLine.Command(name = "edgewatch", mixinStandardHelpOptions = true, version = "edgewatch 0.1.0-SNAPSHOT",
        description = "On-device video analytics agent: detects and tracks objects, publishes metadata events over MQTT.",
        subcommands = {RunCommand.class, BenchCommand.class, DoctorCommand.class, StatusCommand.class, ModelsCommand.class, FaceCommands.Enroll.class,
                FaceCommands.Identify.class, FaceCommands.GalleryCommand.class, FaceBenchCommand.class, BenchCamerasCommand.class, BenchTrackingCommand.class})
public class EdgewatchCommand {
}
