package io.edgewatch.detect;

import org.bytedeco.opencv.opencv_core.Mat;
import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One detector shared by every camera: a fixed set of interpreters of one model on one accelerator (on the CPU,
 * their threads together are the box's cores; an NPU gets one interpreter and one delegate per device), each served
 * by its own worker thread, and a fair scheduler in front of them. Each camera has a {@link Client} with its own
 * queue; workers take region requests from the cameras in turn (round robin), so a camera with many regions or a
 * high rate cannot starve the others. A camera's pipeline thread waits for its round's regions, so its queue holds at
 * most one round; frames that arrive meanwhile are replaced in the capture hand-off (latest frame wins) and the
 * detection rounds it wanted but could not have are counted by the pipeline as skipped.
 *
 * <p>No batching: the SSD models shipped have a fixed batch of 1 (their post-process op takes one image); a model
 * with a batch dimension would take a camera's regions in one invoke. Thread-safe.
 */
public final class DetectorService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DetectorService.class);

    private final String name;
    private final List<ObjectDetector> detectors;
    private final List<Thread> workers = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private int cursor;
    private volatile boolean closed;
    private final AtomicLong busyNs = new AtomicLong();
    private final AtomicLong invokes = new AtomicLong();
    private final long startNs = System.nanoTime();
    private long lastSnapshotNs = startNs;
    private long lastBusyNs;
    private double utilisation;
    private volatile double lastInvokeMs;
    private volatile io.micrometer.core.instrument.Timer invokeTimer;
    private final io.edgewatch.util.OwnedMeters meters = new io.edgewatch.util.OwnedMeters();
    private double[] steadySamples; // guarded by this; null when no steady measurement is wanted or it is done
    private volatile boolean steadyWanted; // read without the lock on every invoke: false once the measurement is done
    private int steadyCount;
    private java.util.function.DoubleConsumer steadyDone;

    /**
     * @param name      what health and metrics call it, e.g. the model id
     * @param detectors the interpreters, loaded and checked (golden check, warm-up) by the caller; owned from now on
     */
    public DetectorService(String name, List<ObjectDetector> detectors) {
        if (detectors.isEmpty()) {
            throw new IllegalArgumentException("a detector service needs at least one interpreter");
        }
        this.name = name;
        this.detectors = List.copyOf(detectors);
        for (int i = 0; i < this.detectors.size(); i++) {
            ObjectDetector d = this.detectors.get(i);
            Thread t = new Thread(() -> serve(d), "detector-" + name + "-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /** Detector name (model id). */
    public String name() {
        return name;
    }

    /** Interpreters serving requests. */
    public int interpreters() {
        return detectors.size();
    }

    /** Model input side, pixels. */
    public int inputSidePx() {
        return detectors.get(0).inputSidePx();
    }

    /** The filter grading the detectors' output. */
    public DetectionFilter filter() {
        return detectors.get(0).filter();
    }

    /** The first interpreter's detector (model facts for reports; do not invoke it directly). */
    public ObjectDetector primary() {
        return detectors.get(0);
    }

    /**
     * Registers the detector's meters, tagged {@code detector=<name>}: {@code edgewatch.detector.queue.depth} (region
     * requests waiting), {@code edgewatch.detector.utilisation} (0..1, last window), {@code edgewatch.detector.invoke}
     * (timer, one sample per region) and {@code edgewatch.detector.interpreters}; {@link #close} removes them again.
     */
    public synchronized void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        meters.keep(registry, io.micrometer.core.instrument.Gauge.builder("edgewatch.detector.queue.depth", this, DetectorService::queueDepth)
                .description("Region requests waiting for an interpreter").tag("detector", name).register(registry));
        meters.keep(registry, io.micrometer.core.instrument.Gauge.builder("edgewatch.detector.utilisation", this, DetectorService::utilisation)
                .description("Share of the interpreters' time spent serving requests, last window").tag("detector", name).register(registry));
        meters.keep(registry, io.micrometer.core.instrument.Gauge.builder("edgewatch.detector.interpreters", this, DetectorService::interpreters)
                .description("Interpreters of the shared detector").tag("detector", name).register(registry));
        invokeTimer = io.micrometer.core.instrument.Timer.builder("edgewatch.detector.invoke").description("Interpreter invoke time per region")
                .tag("detector", name).publishPercentileHistogram().register(registry);
        meters.keep(registry, invokeTimer);
    }

    /** Removes the meters {@link #bindMetrics} registered, so a detector started after this one binds its own. */
    private void unbindMetrics() {
        meters.removeAll();
    }

    /**
     * Measures the steady invoke time from live requests instead of at start-up: after the next {@code invokes}
     * invokes (any interpreter, any camera) {@code done} gets their median, ms, once, on a worker thread. This is the
     * latency under the agent's real load (decoding cameras beside it), not an idle one.
     *
     * @param invokes invokes to collect, 1..1000
     * @param done    receives the median; must not block
     */
    public synchronized void measureSteady(int invokes, java.util.function.DoubleConsumer done) {
        if (invokes < 1 || invokes > 1000) {
            throw new IllegalArgumentException("invokes must be 1..1000, was " + invokes);
        }
        steadySamples = new double[invokes];
        steadyCount = 0;
        steadyDone = java.util.Objects.requireNonNull(done, "done");
        steadyWanted = true;
    }

    /** Adds one live invoke time to a steady measurement in progress; reports the median when it is complete. */
    private void sampleSteady(double ms) {
        if (!steadyWanted) {
            return;
        }
        double median;
        java.util.function.DoubleConsumer done;
        synchronized (this) {
            if (steadySamples == null) {
                return;
            }
            steadySamples[steadyCount++] = ms;
            if (steadyCount < steadySamples.length) {
                return;
            }
            median = io.edgewatch.inference.AcceleratedModelLoader.median(steadySamples);
            done = steadyDone;
            steadySamples = null;
            steadyDone = null;
            steadyWanted = false;
        }
        done.accept(median);
    }

    /** Registers a camera; its requests take turns with the other cameras'. */
    public Client register(String cameraId) {
        Client c = new Client(cameraId);
        clients.add(c);
        return c;
    }

    /** Region requests waiting for an interpreter, all cameras. */
    public int queueDepth() {
        lock.lock();
        try {
            int n = 0;
            for (Client c : clients) {
                n += c.queue.size();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Invokes run since start. */
    public long invokes() {
        return invokes.get();
    }

    /** Invoke time of the last request served, ms. */
    public double lastInvokeMs() {
        return lastInvokeMs;
    }

    /**
     * Share of the interpreters' time spent serving requests (pre-process, invoke, decode), 0..1, over the last
     * window of at least one second (recomputed when read, at most once a second).
     */
    public synchronized double utilisation() {
        long now = System.nanoTime();
        if (now - lastSnapshotNs >= 1_000_000_000L) {
            long busy = busyNs.get();
            utilisation = Math.min(1, (busy - lastBusyNs) / (double) (now - lastSnapshotNs) / detectors.size());
            lastBusyNs = busy;
            lastSnapshotNs = now;
        }
        return utilisation;
    }

    private void serve(ObjectDetector detector) {
        while (true) {
            Job job;
            lock.lock();
            try {
                while ((job = next()) == null) {
                    if (closed) {
                        return;
                    }
                    work.await();
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            long t0 = System.nanoTime();
            try {
                List<Detection> d = detector.detect(job.frame, job.region);
                List<DetectionMerger.Candidate> mapped = new ArrayList<>(d.size());
                for (Detection x : d) {
                    mapped.add(DetectionMerger.toFrame(x, job.region, job.frame.cols(), job.frame.rows()));
                }
                lastInvokeMs = detector.invokeMs();
                sampleSteady(detector.invokeMs());
                io.micrometer.core.instrument.Timer timer = invokeTimer;
                if (timer != null) {
                    timer.record((long) (detector.invokeMs() * 1e6), java.util.concurrent.TimeUnit.NANOSECONDS);
                }
                job.round.done(mapped, detector.preprocessMs(), detector.invokeMs(), detector.postprocessMs(), null);
            } catch (RuntimeException e) {
                job.round.done(List.of(), 0, 0, 0, e);
            } finally {
                busyNs.addAndGet(System.nanoTime() - t0);
                invokes.incrementAndGet();
            }
        }
    }

    /** The next job in round-robin order over the cameras, or null; call with the lock held. */
    private Job next() {
        int n = clients.size();
        for (int k = 0; k < n; k++) {
            Client c = clients.get((cursor + k) % n);
            Job j = c.queue.poll();
            if (j != null) {
                cursor = (cursor + k + 1) % n;
                return j;
            }
        }
        return null;
    }

    /** Stops the workers after the requests in progress and closes the interpreters. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Client c : clients) {
                for (Job j : c.queue) {
                    j.round.done(List.of(), 0, 0, 0, new IllegalStateException("detector " + name + " closed"));
                }
                c.queue.clear();
            }
            work.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread t : workers) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (ObjectDetector d : detectors) {
            try {
                d.close();
            } catch (RuntimeException e) {
                LOG.warnf("detector %s: close failed: %s", name, e.getMessage());
            }
        }
        unbindMetrics();
    }

    /**
     * What one round of a camera's regions gave.
     *
     * @param detections   merged detections in frame coordinates (see {@link DetectionMerger}), best first
     * @param regions      regions detected
     * @param preprocessMs summed over the regions, ms
     * @param invokeMs     summed over the regions, ms
     * @param postprocessMs summed over the regions, ms
     * @param waitMs       time from the request to the last region's result, ms (queueing included)
     */
    public record RoundResult(List<Detection> detections, int regions, double preprocessMs, double invokeMs,
                              double postprocessMs, double waitMs) {
        /** A round without regions: nothing detected, nothing run. */
        public static final RoundResult EMPTY = new RoundResult(List.of(), 0, 0, 0, 0, 0);
    }

    private record Job(Mat frame, Region region, Round round) { }

    private static final class Round {
        private final List<DetectionMerger.Candidate> candidates = new ArrayList<>();
        private int pending;
        private double pre;
        private double inv;
        private double post;
        private RuntimeException error;

        Round(int regions) {
            this.pending = regions;
        }

        synchronized boolean isDone() {
            return pending == 0;
        }

        synchronized void done(List<DetectionMerger.Candidate> c, double preMs, double invMs, double postMs, RuntimeException e) {
            candidates.addAll(c);
            pre += preMs;
            inv += invMs;
            post += postMs;
            if (e != null && error == null) {
                error = e;
            }
            pending--;
            notifyAll();
        }

        /**
         * Waits for every region, uninterruptibly: the frame must outlive the workers' use of it, so a camera thread
         * interrupted (stop) still waits for the regions in progress (milliseconds) and keeps its interrupt flag.
         */
        synchronized void await() {
            boolean interrupted = false;
            while (pending > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One camera's access to the shared detector. Used by that camera's pipeline thread only. */
    public final class Client {
        private final String cameraId;
        private final ArrayDeque<Job> queue = new ArrayDeque<>();
        private final AtomicLong regionsServed = new AtomicLong();
        private final AtomicLong rounds = new AtomicLong();

        private Client(String cameraId) {
            this.cameraId = cameraId;
        }

        public String cameraId() {
            return cameraId;
        }

        /** The service this client belongs to. */
        public DetectorService service() {
            return DetectorService.this;
        }

        /**
         * Detects in the given regions of one frame and waits for all of them; the frame must stay open until this
         * returns. Regions are served in turn with the other cameras' requests.
         *
         * @param frame   BGR frame (CV_8UC3), full resolution
         * @param regions regions inside the frame; empty returns {@link RoundResult#EMPTY} without inference
         * @throws IllegalStateException when the service is closed
         * @throws RuntimeException      what the detector threw for one of the regions
         */
        public RoundResult detect(Mat frame, List<Region> regions) {
            return submit(frame, regions).await();
        }

        /**
         * Queues the regions of one frame and returns at once, so the camera can prepare its next frame (decode wait,
         * motion) while the detector works; the frame must stay open until {@link Pending#await()} returned.
         *
         * @throws IllegalStateException when the service is closed
         */
        public Pending submit(Mat frame, List<Region> regions) {
            if (regions.isEmpty()) {
                return new Pending(null, 0, System.nanoTime());
            }
            long t0 = System.nanoTime();
            Round round = new Round(regions.size());
            lock.lock();
            try {
                if (closed) {
                    throw new IllegalStateException("detector " + name + " closed");
                }
                for (Region r : regions) {
                    queue.add(new Job(frame, r, round));
                }
                work.signalAll();
            } finally {
                lock.unlock();
            }
            return new Pending(round, regions.size(), t0);
        }

        /** A round queued by {@link #submit}. */
        public final class Pending {
            private final Round round;
            private final int regions;
            private final long t0;

            private Pending(Round round, int regions, long t0) {
                this.round = round;
                this.regions = regions;
                this.t0 = t0;
            }

            /** Whether every region of the round has been served (await then returns at once). */
            public boolean isDone() {
                return round == null || round.isDone();
            }

            /**
             * Waits for every region of the round (uninterruptibly: the frame must outlive the workers' use of it).
             *
             * @throws RuntimeException what the detector threw for one of the regions
             */
            public RoundResult await() {
                if (round == null) {
                    return RoundResult.EMPTY;
                }
                round.await();
                if (round.error != null) {
                    throw round.error;
                }
                regionsServed.addAndGet(regions);
                rounds.incrementAndGet();
                List<Detection> merged = DetectionMerger.merge(round.candidates);
                return new RoundResult(merged, regions, round.pre, round.inv, round.post, (System.nanoTime() - t0) / 1e6);
            }
        }

        /** Regions detected for this camera since start. */
        public long regionsServed() {
            return regionsServed.get();
        }

        /** Rounds (frames with at least one region) detected for this camera since start. */
        public long rounds() {
            return rounds.get();
        }
    }
}
