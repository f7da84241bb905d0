package io.edgewatch.health;

import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.config.DoctorConfig;
import io.edgewatch.config.EdgewatchConfig;
import io.edgewatch.inference.Acceleration;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.mqtt.MqttSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the doctor checks, taken from the configuration.
 *
 * @param device          device id
 * @param cameras         enabled cameras (source, time-outs)
 * @param modelManifests  model manifests in use (detector first); each file and its sha256 is checked and the model loaded
 * @param interpreter     interpreter options the models are loaded with
 * @param mqtt            broker settings, empty when events go to standard output
 * @param brokerTimeoutS  broker connection time-out, s
 * @param stateDirs       state folders (spool, gallery, audit) that must be writable
 * @param minFreeMb       free space each state folder needs, MiB
 * @param delegates       the delegate configuration of a model id ({@code edgewatch.delegates.models.<id>}), so a model
 *                        is checked exactly as {@code run} will load it (delegate, golden check, fallback policy)
 * @param contradictions  keys that pass their own ranges but contradict each other ({@code Settings.contradictions},
 *                        what {@code run} refuses), one sentence each; empty when they hold together
 */
public record DoctorPlan(String device, List<CaptureSettings> cameras, List<Path> modelManifests, InterpreterOptions interpreter,
                         Optional<MqttSettings> mqtt, int brokerTimeoutS, List<Path> stateDirs, long minFreeMb,
                         java.util.function.Function<String, io.edgewatch.inference.DelegateSpec> delegates, List<String> contradictions) {

    public DoctorPlan {
        cameras = List.copyOf(cameras);
        modelManifests = List.copyOf(modelManifests);
        stateDirs = List.copyOf(stateDirs);
        contradictions = List.copyOf(contradictions);
    }

    /** A plan whose keys hold together (no {@code contradictions}). */
    public DoctorPlan(String device, List<CaptureSettings> cameras, List<Path> modelManifests, InterpreterOptions interpreter,
                      Optional<MqttSettings> mqtt, int brokerTimeoutS, List<Path> stateDirs, long minFreeMb,
                      java.util.function.Function<String, io.edgewatch.inference.DelegateSpec> delegates) {
        this(device, cameras, modelManifests, interpreter, mqtt, brokerTimeoutS, stateDirs, minFreeMb, delegates, List.of());
    }

    /** A plan whose models run on the CPU as {@code interpreter} says (no delegate configured). */
    public DoctorPlan(String device, List<CaptureSettings> cameras, List<Path> modelManifests, InterpreterOptions interpreter,
                      Optional<MqttSettings> mqtt, int brokerTimeoutS, List<Path> stateDirs, long minFreeMb) {
        this(device, cameras, modelManifests, interpreter, mqtt, brokerTimeoutS, stateDirs, minFreeMb,
                id -> io.edgewatch.inference.DelegateSpec.cpuOnly(interpreter.acceleration(), interpreter.threads()));
    }

    /** The plan for the agent's configuration, with the same defaults as {@code run}. */
    public static DoctorPlan from(EdgewatchConfig config, DoctorConfig doctor, io.edgewatch.config.DelegatesConfig delegates,
                                  io.edgewatch.config.CaptureConfig capture, io.edgewatch.config.SpoolConfig spool) {
        List<CaptureSettings> cams = new ArrayList<>();
        config.cameras().forEach((id, c) -> {
            if (c.enabled()) {
                cams.add(io.edgewatch.pipeline.Settings.camera(id, c, capture));
            }
        });
        Optional<MqttSettings> mqtt = config.mqtt().url().filter(u -> !u.isBlank())
                .map(url -> io.edgewatch.pipeline.Settings.mqtt(config, url));
        InterpreterOptions opts = new InterpreterOptions(io.edgewatch.config.EdgewatchConfig.Detector.threadsPerInterpreter(config.detector()),
                Acceleration.valueOf(config.detector().acceleration().toUpperCase()));
        return new DoctorPlan(config.deviceId(), cams, List.of(config.detector().manifest()), opts,
                mqtt, doctor.brokerTimeoutS(), doctor.resolvedStateDirs(), doctor.minFreeMb(),
                id -> delegates.specFor(id, opts.threads(), opts.acceleration()),
                io.edgewatch.pipeline.Settings.contradictions(config, spool, capture)); // the key pairs run refuses
    }
}
