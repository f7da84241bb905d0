package io.edgewatch.cli;

import picocli.CommandLine;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Progress of a long command ({@code bench}, {@code bench-faces}, {@code bench-tracking}, {@code bench-cameras},
 * {@code enroll} of several photos) on standard error, never on standard output (which stays machine-readable).
 * <p>
 * Shown when {@code --progress} is given, else when {@code EDGEWATCH_PROGRESS} is {@code 1}, else when standard error
 * is a terminal ({@code /proc/self/fd/2} is a {@code /dev/pts/*}, {@code /dev/tty*} or {@code /dev/console}); never with
 * {@code --no-progress} or {@code EDGEWATCH_PROGRESS=0}. On a terminal one line is rewritten in place (carriage return)
 * at most once a second; otherwise (a file, a pipe, a forced run) a full line is written at most every 5 s. Each line
 * is {@code <task>: [<phase>  ]<done>/<total> <unit>  <pct>%  elapsed m:ss  left m:ss[  <detail>]} (without total,
 * percent and time left when the total is unknown, 0), and the last one
 * {@code <task>: done  <done>/<total> <unit>  in m:ss} ({@link #finish()}; a command that fails ends without it, its
 * error message on a clean line). Thread-safe.
 */
public final class Progress implements AutoCloseable {
    /** Environment variable: {@code 1} shows progress, {@code 0} never does (the option wins over it). */
    public static final String ENV = "EDGEWATCH_PROGRESS";
    /** Least time between two updates of the line on a terminal, ns. */
    static final long TERMINAL_INTERVAL_NS = 1_000_000_000L;
    /** Least time between two progress lines elsewhere (a log file), ns: bench-tracking's earlier cadence. */
    static final long LINE_INTERVAL_NS = 5_000_000_000L;

    /** The {@code --[no-]progress} option, mixed into each long command. */
    public static class Option {
        @CommandLine.Option(names = "--progress", negatable = true,
                description = "Progress on standard error: --progress always, --no-progress never (default: when standard error is a "
                        + "terminal, or EDGEWATCH_PROGRESS=1).")
        Boolean progress;

        /** Starts the progress of a task on {@code System.err}, shown or not by the rule of {@link Progress}. */
        Progress start(String task, long total, String unit) {
            boolean terminal = stderrIsTerminal();
            if (!enabled(progress, System.getenv(ENV), terminal)) {
                return off();
            }
            return new Progress(task, total, unit, System.err, terminal, System::nanoTime);
        }
    }

    private final String task;
    private final String unit;
    private final PrintStream err;      // null: disabled
    private final boolean terminal;
    private final LongSupplier clockNs;
    private final long startNs;
    private long total;
    private long done;
    private long lastPrintNs;
    private String phase = "";
    private Supplier<String> detail;
    private int shownChars;             // on a terminal: length of the line now shown (0 = none)
    private boolean finished;

    /**
     * @param task     what is done (the command's name), first on each line
     * @param total    units of work in all, 0 when unknown
     * @param unit     what is counted ("frames", "photos", "s")
     * @param err      where lines go; null makes a progress that prints nothing
     * @param terminal rewrite one line in place (true) or write whole lines (false)
     * @param clockNs  monotonic clock, ns
     */
    Progress(String task, long total, String unit, PrintStream err, boolean terminal, LongSupplier clockNs) {
        this.task = task;
        this.total = Math.max(0, total);
        this.unit = unit;
        this.err = err;
        this.terminal = terminal;
        this.clockNs = clockNs;
        this.startNs = clockNs.getAsLong();
        this.lastPrintNs = startNs;
        print(line(startNs));
    }

    /** A progress that prints nothing. */
    public static Progress off() {
        return new Progress("", 0, "", null, false, () -> 0);
    }

    /**
     * The rule: the option if given, else {@code EDGEWATCH_PROGRESS} ({@code 1}/{@code true} on, {@code 0}/{@code false}
     * off, anything else ignored), else whether standard error is a terminal.
     */
    static boolean enabled(Boolean option, String env, boolean stderrTerminal) {
        if (option != null) {
            return option;
        }
        if (env != null) {
            String v = env.trim().toLowerCase(Locale.ROOT);
            if (v.equals("1") || v.equals("true")) {
                return true;
            }
            if (v.equals("0") || v.equals("false")) {
                return false;
            }
        }
        return stderrTerminal;
    }

    /** Whether this process's standard error is a terminal (Linux: where /proc/self/fd/2 points; elsewhere: the console). */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (Exception e) {
            java.io.Console c = System.console();
            return c != null && c.isTerminal();
        }
    }

    /**
     * Frames of a video file as its container declares them (duration x frame rate), for a progress total; 0 when
     * unknown or the file cannot be opened (the command then reports the file itself).
     */
    static long videoFrames(Path video) {
        io.edgewatch.capture.FfmpegLog.install(); // FFmpeg's messages through the log, not its stream dump on stderr
        try (org.bytedeco.javacv.FFmpegFrameGrabber g = new org.bytedeco.javacv.FFmpegFrameGrabber(video.toFile())) {
            g.start();
            long n = g.getLengthInVideoFrames();
            g.stop();
            return Math.max(0, n);
        } catch (Exception e) {
            return 0;
        }
    }

    /** Whether anything is printed. */
    public boolean shown() {
        return err != null;
    }

    /** Names the current part of the task ("warm-up pass 1/2"), shown on the next line. */
    public synchronized void phase(String name) {
        phase = name == null ? "" : name;
    }

    /** Corrects the total (units in all, 0 = unknown). */
    public synchronized void total(long units) {
        total = Math.max(0, units);
    }

    /** Something appended to each line (rows so far, ...), computed when a line is printed. */
    public synchronized void detail(Supplier<String> d) {
        detail = d;
    }

    /** One unit done. */
    public void advance() {
        advance(1);
    }

    /** {@code n} units done; prints a line when the interval has passed since the last one. */
    public synchronized void advance(long n) {
        done += n;
        if (err == null || finished) {
            return;
        }
        long now = clockNs.getAsLong();
        if (now - lastPrintNs >= (terminal ? TERMINAL_INTERVAL_NS : LINE_INTERVAL_NS)) {
            lastPrintNs = now;
            print(line(now));
        }
    }

    /** Units done so far. */
    public synchronized long done() {
        return done;
    }

    /**
     * Erases the line shown on a terminal, so that what the command prints next (to standard output or error) starts
     * on a clean line; the next update draws it again. No effect elsewhere.
     */
    public synchronized void clear() {
        if (err != null && terminal && shownChars > 0) {
            err.print("\r" + " ".repeat(shownChars) + "\r");
            err.flush();
            shownChars = 0;
        }
    }

    /** Prints the final line {@code <task>: done  <done>/<total> <unit>  in m:ss}; later calls do nothing. */
    public synchronized void finish() {
        if (err == null || finished) {
            return;
        }
        finished = true;
        long now = clockNs.getAsLong();
        StringBuilder b = new StringBuilder(task).append(": done  ").append(done);
        if (total > 0) {
            b.append('/').append(total);
        }
        b.append(' ').append(unit).append("  in ").append(time(now - startNs));
        print(b.toString());
        if (terminal) {
            err.println();
            err.flush();
            shownChars = 0;
        }
    }

    /**
     * Ends the progress without a final line when {@link #finish()} was not called (the command failed: its message
     * follows on a clean line, the terminal's progress line erased).
     */
    @Override
    public synchronized void close() {
        clear();
        finished = true;
    }

    /** The progress line at {@code nowNs}. */
    synchronized String line(long nowNs) {
        long elapsed = nowNs - startNs;
        StringBuilder b = new StringBuilder(task).append(": ");
        if (!phase.isEmpty()) {
            b.append(phase).append("  ");
        }
        b.append(done);
        if (total > 0) {
            b.append('/').append(total);
        }
        b.append(' ').append(unit);
        if (total > 0) {
            b.append(String.format(Locale.ROOT, "  %d%%", Math.min(100, done * 100 / total)));
        }
        b.append("  elapsed ").append(time(elapsed));
        if (total > 0 && done > 0) {
            b.append("  left ").append(time(Math.max(0, (long) ((double) elapsed * (total - done) / done))));
        }
        if (detail != null) {
            b.append("  ").append(detail.get());
        }
        return b.toString();
    }

    /** {@code m:ss}, or {@code h:mm:ss} from one hour. */
    static String time(long ns) {
        long s = Math.max(0, ns) / 1_000_000_000L;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private void print(String line) {
        if (err == null) {
            return;
        }
        if (terminal) {
            err.print("\r" + line + " ".repeat(Math.max(0, shownChars - line.length())));
            shownChars = line.length();
        } else {
            err.println(line);
        }
        err.flush();
    }
}
