package io.edgewatch.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The project's test delegates: C sources under {@code native/}, compiled with gcc (from .ci/run's package list)
 * into {@code target/test-delegates/} the first time a test asks for them, and again when a source is newer than
 * the library. No NPU exists on the build machines; these plugins stand in for one.
 */
public final class TestDelegates {
    private TestDelegates() {
    }

    /** Computes the claimed ops (CONCATENATION by default; option {@code ops}) correctly. */
    public static Path correct() {
        return build("libew_correct_delegate.so", "test_delegate.c", "-DEW_PLUGIN_NAME=\"ew_correct_delegate\"");
    }

    /** Claims the same ops and computes them wrongly (+0.5 on every output element). */
    public static Path wrong() {
        return build("libew_wrong_delegate.so", "test_delegate.c", "-DEW_WRONG", "-DEW_PLUGIN_NAME=\"ew_wrong_delegate\"");
    }

    /** Its create function reports an error through report_error and returns NULL. */
    public static Path failingCreate() {
        return build("libew_failcreate_delegate.so", "test_delegate.c", "-DEW_FAIL_CREATE", "-DEW_PLUGIN_NAME=\"ew_failcreate_delegate\"");
    }

    /** Correct, but its first invoke sleeps {@code 2000} ms (a slow NPU graph compile); option first_invoke_delay_ms changes it. */
    public static Path slowFirstInvoke() {
        return build("libew_slow_delegate.so", "test_delegate.c", "-DEW_FIRST_INVOKE_DELAY_MS=2000", "-DEW_PLUGIN_NAME=\"ew_slow_delegate\"");
    }

    /**
     * Written against TFLite's opaque delegate API (TfLiteOpaqueDelegateCreate, TfLiteOperator kernels, opaque accessors
     * only): computes the claimed ops (CONCATENATION by default; option {@code ops}) correctly.
     */
    public static Path opaque() {
        return build("libew_opaque_delegate.so", "opaque_delegate.c", "-DEW_PLUGIN_NAME=\"ew_opaque_delegate\"");
    }

    /** A shared library without the plugin symbols. */
    public static Path noPluginSymbols() {
        return build("libew_not_a_plugin.so", "no_plugin_symbols.c");
    }

    /** A plugin needing a TFLite symbol that no TFLite build exports (TfLiteEdgewatchNoSuchFunction). */
    public static Path unresolvedSymbol() {
        return build("libew_unresolved_symbol.so", "unresolved_symbol.c");
    }

    private static java.nio.file.attribute.FileTime newestHeader(Path dir) throws IOException {
        try (var headers = Files.list(dir)) {
            return headers.filter(p -> p.toString().endsWith(".h")).map(p -> {
                try {
                    return Files.getLastModifiedTime(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).max(java.util.Comparator.naturalOrder()).orElse(java.nio.file.attribute.FileTime.fromMillis(0));
        }
    }

    private static synchronized Path build(String lib, String source, String... defines) {
        Path root = TestPaths.projectRoot();
        Path src = root.resolve("native").resolve(source);
        Path out = root.resolve("target/test-delegates").resolve(lib);
        Path flags = out.resolveSibling(lib + ".flags");
        String wanted = String.join(" ", defines);
        try {
            if (Files.exists(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(src)) >= 0
                    && Files.getLastModifiedTime(out).compareTo(newestHeader(root.resolve("native"))) >= 0
                    && Files.exists(flags) && Files.readString(flags).equals(wanted)) {
                return out;
            }
            Files.createDirectories(out.getParent());
            List<String> cmd = new ArrayList<>(List.of("gcc", "-std=c11", "-D_POSIX_C_SOURCE=200809L", "-O2", "-Wall", "-Wextra", "-Werror",
                    "-shared", "-fPIC", "-fvisibility=hidden"));
            cmd.addAll(List.of(defines));
            cmd.addAll(List.of("-o", out.toString(), src.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("gcc failed for " + src + " (gcc is in .ci/run's package list): " + String.join(" ", cmd) + "\n" + log);
            }
            Files.writeString(flags, wanted);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot compile " + src + " with gcc: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
