package course.engine;

import course.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A lesson job's JVM started ahead of its job, for {@code watch}: while the learner edits, it
 * starts in the sandbox, compiles and runs the tool's own warm-up lesson (trusted code) and waits;
 * the next check gives it the secret and the spec on standard input, and it runs that job as a
 * job started then would, only warm: the JVM's start, javac's and JUnit's first use are behind it.
 * It is used once: every check after it starts the next one. It never saw submitted code before
 * its job, it reads its job's folder only, and everything else about the job is as without it.
 */
public record Standby(ChildJvm.Trust trust, Path dir, JobRunner.Started started, long since) {

    /** The longest a standby waits for its job; after that the job starts cold, as without one. */
    static final Duration KEPT = Duration.ofMinutes(30);

    static Standby start(Engine engine, ChildJvm.Trust trust, boolean hazelcast) throws IOException {
        Path dir = Processes.tempFolder("course-job-");
        try {
            Staging warmup = engine.warmupStaging(Files.createDirectories(dir.resolve("in").resolve("warmup")), hazelcast);
            JobRunner.Started started = JobRunner.start(engine, trust, dir, List.of("--standby", warmup.spec().toString()),
                    "standby");
            return new Standby(trust, dir, started, System.nanoTime());
        } catch (IOException | RuntimeException failed) {
            Processes.deleteTree(dir);
            throw failed;
        }
    }

    boolean usable(ChildJvm.Trust wanted) {
        return trust == wanted && started.process().isAlive() && System.nanoTime() - since < KEPT.toNanos();
    }

    /** Ends it without a job: its JVM, its cgroup and its folder. */
    void close() {
        Process process = started.process();
        Processes.endTree(process.toHandle());
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        started.wrapped().cgroup().destroy();
        Processes.done(process);
        Processes.deleteTree(dir);
    }

    /** Where an engine keeps its one standby: never one unless it was made to (by {@code watch}). */
    public static final class Slot {
        private final boolean enabled;
        private final AtomicReference<Standby> ready = new AtomicReference<>();
        private final AtomicInteger used = new AtomicInteger();

        private Slot(boolean enabled) {
            this.enabled = enabled;
        }

        public static Slot none() {
            return new Slot(false);
        }

        public static Slot enabled() {
            return new Slot(true);
        }

        /** The standby, if there is one that can run a job of this trust (it is then no one else's). */
        Standby take(ChildJvm.Trust trust) {
            Standby standby = ready.getAndSet(null);
            if (standby == null) return null;
            if (standby.usable(trust)) {
                used.incrementAndGet();
                return standby;
            }
            standby.close();
            return null;
        }

        /** Starts a standby for {@code lesson}'s next job, in place of any other; without one, jobs start cold. */
        public void prepare(Engine engine, Manifest.Lesson lesson) {
            if (!enabled || engine.debugging()) return;
            close();
            try {
                ready.set(Standby.start(engine, JobRunner.trust(lesson), engine.usesHazelcast(lesson)));
            } catch (IOException | RuntimeException failed) {
                // the next job starts cold, as it would without a standby
            }
        }

        /** How many jobs ran in a standby. */
        public int used() {
            return used.get();
        }

        /** Ends the standby, if there is one. */
        public void close() {
            Standby standby = ready.getAndSet(null);
            if (standby != null) standby.close();
        }
    }
}
