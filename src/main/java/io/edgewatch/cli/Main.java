package io.edgewatch.cli;

import io.quarkus.picocli.runtime.PicocliRunner;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point. Only {@code run} serves HTTP (transparency; health and metrics on the management port); every other command ({@code bench},
 * {@code doctor}, {@code models check}, {@code --help} ...) starts without an HTTP listener, so it works next to a
 * running agent that holds the port.
 */
@QuarkusMain
public final class Main {
    private Main() {
    }

    public static void main(String... args) {
        io.edgewatch.util.SerialFilter.rejectAll(); // no Java object is ever deserialised (the launcher also sets -Djdk.serialFilter=!*)
        io.edgewatch.util.JavaCppPlatform.withoutExtensions();
        boolean serves = args.length > 0 && args[0].equals("run") && !java.util.Arrays.asList(args).contains("--help")
                && !java.util.Arrays.asList(args).contains("-h");
        if (!serves && System.getProperty("quarkus.http.host-enabled") == null) {
            System.setProperty("quarkus.http.host-enabled", "false");
        }
        if (!serves && System.getProperty("quarkus.management.host-enabled") == null) {
            System.setProperty("quarkus.management.host-enabled", "false"); // health and metrics: only run serves them
        }
        Quarkus.run(PicocliRunner.class, args);
    }
}
