package io.edgewatch.cli;

import io.edgewatch.inference.ModelException;
import io.edgewatch.pipeline.Agent;
import io.edgewatch.pipeline.RunRequest;
import picocli.CommandLine;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code run}: starts the agent on the configured cameras, or on one {@code --source}. Exits by itself when every
 * source is a file that has ended; otherwise runs until stopped (SIGTERM). Exit code 0 on success, 1 when no camera
 * could be read or the configuration does not hold together (no camera, contradicting keys), 2 when the
 * configuration, the model or the {@code --source} is unusable or an option is wrong (such as
 * {@code --camera} without {@code --source}).
 */
@CommandLine.Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the agent. Events go to MQTT, or as JSON lines to standard output when no broker is configured.")
public class RunCommand implements Callable<Integer> {
    @CommandLine.Option(names = "--source", description = "File path, rtsp:// URL or /dev/videoN; replaces the configured cameras.")
    String source;

    @CommandLine.Option(names = "--camera", defaultValue = "cam1", description = "Camera id for --source (default: ${DEFAULT-VALUE}).")
    String camera;

    @CommandLine.Option(names = "--mqtt-url", description = "Broker URL, e.g. tcp://localhost:1883; overrides edgewatch.mqtt.url.")
    String mqttUrl;

    @CommandLine.Option(names = "--max-frames", defaultValue = "0", description = "Stop each camera after N frames (0 = no limit).")
    long maxFrames;

    @CommandLine.Option(names = "--replay-speed", defaultValue = "0",
            description = "File --source only: 0 = analyse every frame as fast as possible (default), 1 = at the file's frame rate (latest frame wins), 2 = twice as fast ...")
    double replaySpeed;

    @CommandLine.Option(names = "--detect-fps",
            description = "--source only: detection rounds per second of stream time, 0 = every frame (default: the camera's configured rate; for an unconfigured camera 0 for a file replayed as fast as possible, else 5).")
    Double detectFps;

    @CommandLine.Option(names = "--motion-gating", arity = "1",
            description = "--source only: true = detect only around motion and tracks (default, or as configured), false = the whole frame every round.")
    Boolean motionGating;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Agent agent;
    private final io.edgewatch.health.ManagementAccess access;

    public RunCommand(Agent agent, io.edgewatch.health.ManagementAccess access) {
        this.agent = agent;
        this.access = access;
    }

    @Override
    public Integer call() throws Exception {
        if (maxFrames < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--max-frames must be >= 0, was " + maxFrames);
        }
        if (!(replaySpeed >= 0 && replaySpeed <= 100)) { // NaN too
            throw new CommandLine.ParameterException(new CommandLine(this), "--replay-speed must be 0..100, was " + replaySpeed);
        }
        if (detectFps != null && !(detectFps >= 0 && detectFps <= 120)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--detect-fps must be 0..120 (0 = every frame), was " + detectFps);
        }
        if (source == null) {
            // these shape the one camera of --source; silently ignoring them would run every configured camera instead
            for (String o : new String[]{"--camera", "--replay-speed", "--detect-fps", "--motion-gating"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), o + " applies to --source only; the configured cameras"
                            + " (edgewatch.cameras.<id>.*) take their own settings, and one is left out with edgewatch.cameras.<id>.enabled=false");
                }
            }
        }
        if (access.startupError() != null) {
            System.err.println("edgewatch: " + access.startupError()); // an unusable token file: nothing starts
            return 1;
        }
        try {
            agent.start(new RunRequest(source == null ? java.util.List.of() : java.util.List.of(source), camera,
                    Optional.ofNullable(mqttUrl), maxFrames, replaySpeed,
                    detectFps == null ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(detectFps),
                    Optional.ofNullable(motionGating), Optional.empty()));
        } catch (io.edgewatch.config.ConfigurationError e) {
            System.err.println("edgewatch: " + e.getMessage()); // the configuration does not hold together: as when it is read
            return 1;
        } catch (ModelException | IllegalArgumentException e) {
            System.err.println("edgewatch: " + e.getMessage());
            return 2;
        }
        agent.awaitFinished(Long.MAX_VALUE);
        boolean allFailed = agent.pipelines().stream()
                .allMatch(p -> p.captureStats().state() == io.edgewatch.capture.CaptureState.FAILED);
        agent.stop();
        if (allFailed) {
            System.err.println("edgewatch: no camera could be read (see the errors above)");
            return 1;
        }
        return 0;
    }
}
