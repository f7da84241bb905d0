package io.edgewatch.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Progress} with an injected clock: the line format, the rate limit (5 s between lines off a terminal, 1 s
 * between rewrites on one), the terminal's carriage-return line and its clearing, and the rule that decides whether
 * anything is shown.
 */
class ProgressTest {
    private static final long S = 1_000_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final long[] now = {100 * S};

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private List<String> lines() {
        return text().lines().toList();
    }

    @Test
    void linesNameTaskPhaseDoneTotalPercentElapsedAndTimeLeft() {
        Progress p = new Progress("bench", 400, "frames", err, false, () -> now[0]);
        assertThat(lines()).containsExactly("bench: 0/400 frames  0%  elapsed 0:00");
        p.phase("timed pass");
        p.detail(() -> "7 rows");
        now[0] += 10 * S;
        p.advance(100);
        // 100 of 400 in 10 s: 300 left at the same rate take 30 s
        assertThat(lines()).last().isEqualTo("bench: timed pass  100/400 frames  25%  elapsed 0:10  left 0:30  7 rows");
        now[0] += 3590 * S;
        p.advance(100);
        assertThat(lines()).last().isEqualTo("bench: timed pass  200/400 frames  50%  elapsed 1:00:00  left 1:00:00  7 rows");
        p.finish();
        assertThat(lines()).last().isEqualTo("bench: done  200/400 frames  in 1:00:00");
        p.finish();
        p.advance();
        p.close();
        assertThat(lines()).hasSize(4); // nothing after the final line
        assertThat(p.done()).isEqualTo(201);
    }

    @Test
    void unknownTotalHasNoPercentNorTimeLeft() {
        Progress p = new Progress("bench-tracking", 0, "frames", err, false, () -> now[0]);
        now[0] += 65 * S;
        p.advance(42);
        p.finish();
        assertThat(lines()).containsExactly("bench-tracking: 0 frames  elapsed 0:00", "bench-tracking: 42 frames  elapsed 1:05",
                "bench-tracking: done  42 frames  in 1:05");
    }

    @Test
    void offATerminalALineAtMostEveryFiveSeconds() {
        Progress p = new Progress("enroll", 1000, "photos", err, false, () -> now[0]);
        for (int i = 0; i < 1000; i++) {
            now[0] += S / 10; // 10 photos a second for 100 s
            p.advance();
        }
        p.finish();
        // the start line, one every 5 s of the 100 s, the final line
        assertThat(lines()).hasSize(1 + 20 + 1);
        assertThat(lines().get(1)).isEqualTo("enroll: 50/1000 photos  5%  elapsed 0:05  left 1:35");
        assertThat(lines().get(20)).startsWith("enroll: 1000/1000 photos  100%  elapsed 1:40  left 0:00");
        assertThat(text()).doesNotContain("\r");
    }

    @Test
    void onATerminalOneLineRewrittenAtMostOnceASecondAndClearedBeforeOtherOutput() {
        Progress p = new Progress("bench", 100, "frames", err, true, () -> now[0]);
        for (int i = 0; i < 30; i++) {
            now[0] += S / 10; // 3 s in all
            p.advance();
        }
        // start + one rewrite a second; no newline until the end
        assertThat(text()).isEqualTo("\rbench: 0/100 frames  0%  elapsed 0:00"
                + "\rbench: 10/100 frames  10%  elapsed 0:01  left 0:09"
                + "\rbench: 20/100 frames  20%  elapsed 0:02  left 0:08"
                + "\rbench: 30/100 frames  30%  elapsed 0:03  left 0:07");
        bytes.reset();
        p.clear();
        String shown = "bench: 30/100 frames  30%  elapsed 0:03  left 0:07";
        assertThat(text()).isEqualTo("\r" + " ".repeat(shown.length()) + "\r");
        bytes.reset();
        p.clear(); // nothing shown: nothing to erase
        assertThat(text()).isEmpty();
        p.finish();
        assertThat(text()).isEqualTo("\rbench: done  30/100 frames  in 0:03" + System.lineSeparator());
    }

    @Test
    void aShorterLinePadsOverTheLongerOneBeforeIt() {
        Progress p = new Progress("t", 0, "x", err, true, () -> now[0]);
        p.detail(() -> "long detail text");
        now[0] += S;
        p.advance();
        bytes.reset();
        p.detail(null);
        now[0] += S;
        p.advance();
        String before = "t: 1 x  elapsed 0:01  long detail text";
        String after = "t: 2 x  elapsed 0:02";
        assertThat(text()).isEqualTo("\r" + after + " ".repeat(before.length() - after.length()));
    }

    @Test
    void failedCommandEndsWithoutFinalLine() {
        Progress p = new Progress("bench", 10, "frames", err, false, () -> now[0]);
        p.close();
        p.finish();
        assertThat(lines()).containsExactly("bench: 0/10 frames  0%  elapsed 0:00");
    }

    @Test
    void disabledPrintsNothing() {
        Progress p = Progress.off();
        p.phase("x");
        p.advance(5);
        p.clear();
        p.finish();
        p.close();
        assertThat(p.shown()).isFalse();
        assertThat(p.done()).isEqualTo(5);
        Progress q = new Progress("bench", 10, "frames", null, true, () -> now[0]);
        now[0] += 10 * S;
        q.advance(10);
        q.finish();
        assertThat(q.shown()).isFalse();
    }

    @Test
    void optionWinsOverEnvironmentWhichWinsOverTheTerminal() {
        assertThat(Progress.enabled(null, null, true)).isTrue();
        assertThat(Progress.enabled(null, null, false)).isFalse();
        assertThat(Progress.enabled(null, "1", false)).isTrue();
        assertThat(Progress.enabled(null, "true", false)).isTrue();
        assertThat(Progress.enabled(null, "0", true)).isFalse();
        assertThat(Progress.enabled(null, "maybe", true)).isTrue();     // not understood: the terminal decides
        assertThat(Progress.enabled(Boolean.FALSE, "1", true)).isFalse(); // --no-progress
        assertThat(Progress.enabled(Boolean.TRUE, "0", false)).isTrue();  // --progress
    }

    @Test
    void timesAreMinutesSecondsThenHours() {
        assertThat(Progress.time(0)).isEqualTo("0:00");
        assertThat(Progress.time(59 * S + S / 2)).isEqualTo("0:59");
        assertThat(Progress.time(61 * S)).isEqualTo("1:01");
        assertThat(Progress.time(3599 * S)).isEqualTo("59:59");
        assertThat(Progress.time(3661 * S)).isEqualTo("1:01:01");
        assertThat(Progress.time(-5 * S)).isEqualTo("0:00");
    }
}
