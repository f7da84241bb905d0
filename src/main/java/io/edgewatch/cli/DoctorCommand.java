package io.edgewatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgewatch.config.DoctorConfig;
import io.edgewatch.config.EdgewatchConfig;
import io.edgewatch.health.Doctor;
import io.edgewatch.health.DoctorCheck;
import io.edgewatch.health.DoctorPlan;
import io.edgewatch.health.DoctorReport;
import jakarta.enterprise.inject.Instance;
import picocli.CommandLine;

import java.util.concurrent.Callable;

/**
 * {@code doctor}: checks an installation (config, model files and sha256, one frame per camera, broker with the
 * configured credentials, free space of the state folders, contributed checks such as NPU delegates) and prints a
 * checklist, or JSON with {@code --json}. Exit code 0 when every check passed (warnings allowed), 1 when one
 * failed. A configuration that does not validate stops before the command with a message naming the key.
 */
@CommandLine.Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check the installation: config, models (sha256), cameras (one frame each), broker, free space. Exit 1 on any failure.")
public class DoctorCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--json", description = "Print the report as one JSON object instead of the checklist.")
    boolean json;

    private final EdgewatchConfig config;
    private final DoctorConfig doctorConfig;
    private final ObjectMapper mapper;
    private final Instance<DoctorCheck> extraChecks;

    private final io.edgewatch.config.DelegatesConfig delegates;
    private final io.edgewatch.config.CaptureConfig capture;
    private final io.edgewatch.config.SpoolConfig spool;

    public DoctorCommand(EdgewatchConfig config, DoctorConfig doctorConfig, ObjectMapper mapper, Instance<DoctorCheck> extraChecks,
                         io.edgewatch.config.DelegatesConfig delegates, io.edgewatch.config.CaptureConfig capture,
                         io.edgewatch.config.SpoolConfig spool) {
        this.delegates = delegates;
        this.capture = capture;
        this.spool = spool;
        this.config = config;
        this.doctorConfig = doctorConfig;
        this.mapper = mapper;
        this.extraChecks = extraChecks;
    }

    @Override
    public Integer call() throws Exception {
        DoctorReport report = new Doctor(mapper, extraChecks.stream().toList()).run(DoctorPlan.from(config, doctorConfig, delegates, capture, spool));
        if (json) {
            System.out.println(mapper.copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            System.out.print(report.toText());
        }
        System.out.flush();
        return report.exitCode();
    }
}
