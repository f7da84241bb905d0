package io.edgewatch.cli;

import picocli.CommandLine;

/** {@code models}: model tools; {@code models check} loads a model with an optional delegate and prints a JSON report. */
@CommandLine.Command(name = "models", mixinStandardHelpOptions = true, description = "Model tools.",
        subcommands = {ModelsCheckCommand.class})
public class ModelsCommand {
}
