package io.edgewatch.config;

import io.edgewatch.testsupport.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, start-up: the compiler directives the launcher passes ({@code systemd/jit-startup.json}) parse with the
 * build's JVM (a file that does not parse stops the JVM), and they do what they are for: a start-up-only method
 * ({@code java.net.URL.<init>}) is kept from C2 and compiled by C1, while a method off the list still reaches C2.
 */
class JitStartupDirectivesTest {
    private static final Path DIRECTIVES = TestPaths.projectRoot().resolve("systemd/jit-startup.json");

    @Test
    void theShippedDirectivesParseAndExcludeOnlyC2() throws Exception {
        Result r = java(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + DIRECTIVES,
                "-XX:+CompilerDirectivesPrint", "-version"));
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("1 compiler directives added");
        // the directive's own block (before the JVM's default one): its patterns, C1 untouched, C2 excluded
        String block = r.out().substring(r.out().indexOf("Directive:"), r.out().indexOf("Directive: (default)"));
        assertThat(block).contains("java/lang/ClassLoader.*", "io/smallrye/config/*.*");
        assertThat(block.substring(block.indexOf("c1 directives:"), block.indexOf("c2 directives:"))).contains("Exclude:false");
        assertThat(block.substring(block.indexOf("c2 directives:"))).contains("Exclude:true");
    }

    @Test
    void aListedMethodGetsC1NotC2AndOthersStillGetC2(@TempDir Path dir) throws Exception {
        Path program = dir.resolve("Hot.java");
        Files.writeString(program, """
                public class Hot {
                    public static void main(String[] a) throws Exception {
                        java.util.HashMap<String, Integer> m = new java.util.HashMap<>();
                        long sum = 0;
                        for (int i = 0; i < 200_000; i++) {
                            java.net.URL u = new java.net.URL("http", "h", 80, "/p" + (i & 1023));
                            sum += u.getPort();
                        }
                        for (int i = 0; i < 2_000_000; i++) {
                            sum += hot(i);
                        }
                        System.out.println("sum " + sum);
                    }
                    static int hot(int i) {
                        int h = i;
                        for (int k = 0; k < 4; k++) {
                            h = h * 31 ^ (h >>> 3);
                        }
                        return h;
                    }
                }
                """);
        // -Xbatch: each compilation completes before the method runs on, so the tiers are reached whatever the load of the
        // machine (in the background a busy C2 queue may leave a method at tier 2 until the program ends)
        Result r = java(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + DIRECTIVES, "-Xbatch",
                "-XX:+PrintCompilation", program.toString()));
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).containsPattern("made not compilable on level 4 +java\\.net\\.URL::<init>");
        // Hot.hot is not listed: it is compiled by C2 (tier 4) as without the directives
        assertThat(r.out()).containsPattern("(?m)^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*4\\s+Hot::hot ");
        assertThat(r.out()).doesNotContainPattern("made not compilable on level 4 +Hot::hot");
    }

    private record Result(int exit, String out) { }

    private static Result java(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
