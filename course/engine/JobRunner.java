package course.engine;

import course.engine.TestPlan.TestCase;
import course.manifest.Manifest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a lesson job: its variants, in a child JVM in the sandbox, with a time limit, started
 * again past a test that ended the JVM, so that no other result is lost.
 *
 * <p>One job, as a sequence of attempts (each a new JVM):
 * <pre>
 *   STAGE -> START -> EVENTS* -> EXIT -> DONE           the job sent Done
 *                                    -> RESTART -> STAGE the JVM died after a test's Started:
 *                                                        that test is an ERROR and is excluded,
 *                                                        the unfinished variants go again
 *                                    -> GIVE_UP          time ran out, the JVM died outside any
 *                                                        test, or MAX_RESTARTS were spent: every
 *                                                        test without a result is an ERROR
 * </pre>
 * The time limit covers every attempt together. Results come only from the event channel (see
 * {@link EventReader}); {@link Ledger} turns events into results and notices tampering.
 */
public final class JobRunner {

    private JobRunner() {}

    static final int MAX_RESTARTS = 4;
    static final int STDERR_CAP = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Something to test: a whole lesson source; only one exercise's tests if {@code onlyExercise};
     * with {@code stopAtFirstFailure}, the tests after its first real failure are skipped (for a
     * known-wrong answer, whose verdict one failure settles: verify does not wait out the rest).
     */
    public record Variant(String name, String source, String display, String onlyExercise, boolean stopAtFirstFailure) {
        public Variant(String name, String source, String display, String onlyExercise) {
            this(name, source, display, onlyExercise, false);
        }
    }

    public record Request(Manifest.Lesson lesson, List<Variant> variants, Duration limit) {}

    /** How one attempt's JVM ended. */
    record Exit(int code, Ending ending, boolean outOfMemory, String stderr) {
        boolean timedOut() {
            return ending == Ending.TIMED_OUT;
        }
    }

    /**
     * Why an attempt ended: by itself, or because the grader ended it: at the time limit, as soon
     * as a forged line arrived (no result of this attempt can be believed any more), or when the job's
     * JVM had been stopped (SIGSTOP) long enough that nothing could ever run again.
     */
    enum Ending { EXITED, TIMED_OUT, TAMPERED, STOPPED }

    /** How often an attempt is looked at while it runs, and how long "all stopped" must last. */
    static final Duration POLL = Duration.ofMillis(100);
    static final Duration STOPPED_FOR = Duration.ofSeconds(2);

    public static Results.Job run(Engine engine, Request request) throws IOException, InterruptedException {
        long begin = System.nanoTime();
        long deadline = begin + request.limit().toNanos();
        Path testDir = engine.root().resolve("tests").resolve(request.lesson().folder());
        List<TestCase> plan = TestPlan.read(testDir);
        Map<String, Results.Variant> variants = new LinkedHashMap<>();
        for (Variant variant : request.variants()) {
            List<TestCase> wanted = plan.stream()
                    .filter(t -> variant.onlyExercise() == null || variant.onlyExercise().equals(t.exercise())).toList();
            variants.put(variant.name(), new Results.Variant(variant.name(), wanted));
        }
        Ledger ledger = new Ledger(variants);
        boolean timedOut = false;
        List<Variant> pending = new ArrayList<>(request.variants());
        for (int attempt = 0; attempt <= MAX_RESTARTS && !pending.isEmpty(); attempt++) {
            // the first attempt may find its JVM started and warm already (watch keeps one ready)
            Standby standby = attempt == 0 ? engine.standbys().take(trust(request.lesson())) : null;
            Path dir = standby != null ? standby.dir() : Processes.tempFolder("course-job-");
            try {
                Staging staging = Staging.write(dir, request.lesson().fileName(), testDir,
                        engine.root().resolve("tests/support"), pending, ledger.excluded(), engine.outputCap());
                String secret = HexFormat.of().formatHex(RANDOM.generateSeed(16));
                EventReader reader = new EventReader(secret);
                Exit exit = standby != null
                        ? follow(engine, request.lesson(), standby.started(), secret + "\n" + staging.spec() + "\n", deadline,
                                reader)
                        : attempt(engine, request.lesson(), staging, dir, deadline, reader);
                timedOut = exit.timedOut();
                Ledger.Outcome outcome = ledger.apply(reader, pending.stream().map(Variant::name).toList());
                pending.removeIf(variant -> outcome.finished().contains(variant.name()));
                if (outcome.done() || pending.isEmpty()) break;
                String why = why(exit, request.limit());
                if (outcome.inFlight() != null) ledger.died(outcome.inFlight(), why, exit.stderr(), exit.timedOut());
                boolean restartable = exit.ending() == Ending.EXITED || exit.ending() == Ending.STOPPED;
                if (outcome.inFlight() != null && restartable && attempt < MAX_RESTARTS) continue;
                String problem = outcome.inFlight() != null ? why
                        : exit.stderr().isBlank() ? why : why + "\n" + Text.tail(exit.stderr(), 4000);
                ledger.giveUp(pending, problem);
                break;
            } finally {
                Processes.deleteTree(dir);
            }
        }
        return new Results.Job(variants, (System.nanoTime() - begin) / 1_000_000, timedOut);
    }

    /** A job's JVM that has started, sandboxed if we can, and whose standard error is being drained. */
    record Started(Process process, Sandbox.Wrapped wrapped, Drain stderr, Thread drainer) {}

    /** How a lesson's jobs are trusted (see {@link ChildJvm.Trust}). */
    static ChildJvm.Trust trust(Manifest.Lesson lesson) {
        return lesson.harness().interleavings() ? ChildJvm.Trust.INTERLEAVINGS
                : lesson.harness().unsafeMemoryAccess() ? ChildJvm.Trust.UNSAFE_MEMORY : ChildJvm.Trust.STRICT;
    }

    /** Starts a job's JVM that can read {@code dir} (where its staging is, or will be) and nothing else of ours. */
    static Started start(Engine engine, ChildJvm.Trust trust, Path dir, List<String> main, String name)
            throws IOException {
        List<String> command = new ArrayList<>(engine.jvm().command(engine.module().dir(), engine.module().archive(), trust,
                main));
        if (engine.debugging()) {
            command.add(1, "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:" + engine.debugPort());
        }
        List<Path> readOnly = new ArrayList<>(engine.jvm().files());
        readOnly.add(engine.module().dir());
        if (Files.isRegularFile(engine.module().archive())) readOnly.add(engine.module().archive());
        readOnly.add(dir.resolve("in"));
        Path cwd = engine.sandbox().available() ? Path.of("/tmp/cwd") : Files.createDirectories(dir.resolve("cwd"));
        // Unsandboxed, its temporary files go in the job's folder too, deleted with it (sandboxed: a private /tmp).
        if (!engine.sandbox().available()) command.add(1, "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")));
        Sandbox.Wrapped wrapped = engine.sandbox().wrap(command, new Sandbox.Layout(readOnly, cwd));
        ProcessBuilder builder = new ProcessBuilder(wrapped.command()).directory(engine.sandbox().available()
                ? dir.toFile() : cwd.toFile());
        try {
            Process process = engine.sandbox().available() ? Processes.start(builder) : Processes.startOwnSession(builder);
            Drain stderr = new Drain(process.getErrorStream(), STDERR_CAP);
            Thread drainer = Thread.ofPlatform().daemon().name("stderr-" + name).start(stderr);
            return new Started(process, wrapped, stderr, drainer);
        } catch (IOException | RuntimeException failed) {
            wrapped.cgroup().destroy();
            throw failed;
        }
    }

    /** One JVM: starts it, sends the secret, reads its events until it ends. */
    static Exit attempt(Engine engine, Manifest.Lesson lesson, Staging staging, Path dir, long deadline,
                        EventReader reader) throws IOException, InterruptedException {
        Started started = start(engine, trust(lesson), dir, List.of(staging.spec().toString()), lesson.id());
        return follow(engine, lesson, started, reader.secret() + "\n", deadline, reader);
    }

    /** Sends a started JVM its {@code input} (the secret, and a standby's spec), reads its events until it ends. */
    static Exit follow(Engine engine, Manifest.Lesson lesson, Started started, String input, long deadline,
                       EventReader reader) throws InterruptedException {
        Process process = started.process();
        try {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ended) {
                // it died at once: the exit says why
            }
            Thread events = Thread.ofPlatform().daemon().name("events-"
                    + lesson.id()).start(reader.from(process.getInputStream()));
            Ending ending = watch(process, deadline, reader);
            Processes.endTree(process.toHandle());
            process.waitFor();
            boolean outOfMemory = started.wrapped().cgroup().outOfMemory();
            started.wrapped().cgroup().destroy();
            Processes.done(process);
            if (!engine.sandbox().available()) Processes.sweepOrphans(process.toHandle()); // what a halted JVM left behind
            events.join(5_000);
            started.drainer().join(2_000);
            return new Exit(process.exitValue(), ending, outOfMemory, started.stderr().text());
        } finally {
            started.wrapped().cgroup().destroy();
        }
    }

    /** Waits for the attempt to end by itself, or for a reason to end it. */
    static Ending watch(Process process, long deadline, EventReader reader) throws InterruptedException {
        long stoppedSince = -1;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return Ending.TIMED_OUT;
            if (process.waitFor(Math.min(left, POLL.toNanos()), TimeUnit.NANOSECONDS)) return Ending.EXITED;
            if (reader.forged() > 0) return Ending.TAMPERED;
            if (!Processes.jvmStopped(process.toHandle())) {
                stoppedSince = -1;
            } else if (stoppedSince < 0) {
                stoppedSince = System.nanoTime();
            } else if (System.nanoTime() - stoppedSince >= STOPPED_FOR.toNanos()) {
                return Ending.STOPPED;
            }
        }
    }

    static String why(Exit exit, Duration limit) {
        if (exit.ending() == Ending.STOPPED) {
            return "the job's JVM was stopped (SIGSTOP) during this test, so nothing in it could run again: "
                    + "the grader ended it";
        }
        if (exit.ending() == Ending.TAMPERED) return "the job wrote forged lines on the results channel: the grader ended it";
        if (exit.timedOut()) return "the lesson's time limit of " + limit.toSeconds() + " s ran out during this test";
        if (exit.outOfMemory()) {
            return "the sandbox's memory (" + (Sandbox.MAX_MEMORY >> 20)
                    + " MiB) ran out during this test: the kernel ended the JVM";
        }
        if (exit.stderr().contains("OutOfMemoryError")) {
            return "the JVM ran out of memory (OutOfMemoryError, heap limited to 512 MB) during this test";
        }
        return "the JVM exited with code " + exit.code() + " during this test: does the code call System.exit or "
                + "Runtime.halt? A test cannot pass if the JVM ends under it";
    }
}
