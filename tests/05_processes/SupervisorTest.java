import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tests for exercise 5.3 of lessons/05_processes.java. The supervised child is
 * {@link FlakyChild}; a plan argument says what each attempt does, and the files it
 * leaves in a temporary folder (whose path has spaces) say how many attempts there were,
 * which processes ran, and what an attempt found still running from the ones before it.
 *
 * <p>No limit here is a guess about this machine's speed: the per-attempt limit is measured
 * from a calibration child JVM, and a run whose own children show that the machine was too
 * slow for that limit (an "ok" child that took more than half of it, a hung child whose
 * process tree was not up before the limit) is run again with twice the limit, up to 3 times.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SupervisorTest {

    static Duration limit;

    Path dir;
    Set<Long> descendantsBefore;

    @BeforeAll
    static void calibrate() throws Exception {
        // The slowest of two child JVMs that do nothing, times 4, and at least 2 s.
        long slowest = 0;
        for (int i = 0; i < 2; i++) {
            slowest = Math.max(slowest, Jvm.run(Duration.ofSeconds(120), FlakyChild.class, "calibrate").millis());
        }
        limit = Duration.ofMillis(Math.max(2_000, 4 * slowest));
    }

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("supervisor test ");
        descendantsBefore = ProcessesTest.descendantPids();
    }

    @AfterEach
    void endEverythingAndCleanUp() throws IOException {
        endLeftovers();
        deleteTree(dir);
    }

    @Test
    @Tag("5.3")
    @DisplayName("5.3 restarts a crashing child and returns the attempt that succeeded")
    void superviseRestartsUntilSuccess() throws Exception {
        Run run = supervise("crash,crash,ok", 5);
        assertThat(run.attempts()).as("attempts started for the plan crash, crash, ok").isEqualTo(3);
        assertThat(run.returned()).as("what supervise returned: the number of the attempt that exited with 0").isEqualTo(3);

        Run once = supervise("ok", 5);
        assertThat(once.returned()).as("a child that succeeds at once: supervise returns attempt 1").isEqualTo(1);
    }

    @Test
    @Tag("5.3")
    @DisplayName("5.3 gives up after exactly maxAttempts failed attempts")
    void superviseGivesUp() throws Exception {
        Run run = supervise("crash,crash,crash,crash,crash", 3);
        if (run.threw() == null) {
            fail("supervise returned %d for a child that crashed every time: after 3 failed attempts it must throw "
                    + "IllegalStateException(\"gave up after 3 attempts\")", run.returned());
        }
        assertThat(run.threw()).as("what supervise threw").isInstanceOf(IllegalStateException.class);
        assertThat(run.threw().getMessage()).as("the message of the exception").isEqualTo("gave up after 3 attempts");
        assertThat(run.attempts()).as("attempts started with maxAttempts = 3 (count them: 1, 2, 3, and no fourth)").isEqualTo(3);
    }

    @Test
    @Tag("5.3")
    @DisplayName("5.3 kills a hung child and its whole tree, waits for the child, then tries again")
    void superviseKillsAHungChildAndItsDescendants() throws Exception {
        Run run = supervise("hang,ok", 3);
        run.assertNothingLeftRunning();
        assertThat(run.recorded()).as("processes the hung attempt started (itself and the 3 below it)").hasSize(4);
        assertThat(run.attempts()).as("attempts for the plan hang, ok").isEqualTo(2);
        assertThat(run.returned()).as("what supervise returned: the hung attempt 1 failed, attempt 2 succeeded").isEqualTo(2);
    }

    @Test
    @Tag("5.3")
    @DisplayName("5.3 when the last attempt hangs: gives up only once that child is gone, and its tree killed")
    void superviseEndsTheLastHungAttemptBeforeGivingUp() throws Exception {
        Run run = supervise("hang,hang", 2);
        // Checked the moment supervise came back: a kill that was only sent is not enough.
        run.assertNothingLeftRunning();
        if (run.threw() == null) {
            fail("supervise returned %d although both attempts hung: throw IllegalStateException(\"gave up after 2 "
                    + "attempts\")", run.returned());
        }
        assertThat(run.threw().getMessage()).as("the message of the exception").isEqualTo("gave up after 2 attempts");
        assertThat(run.attempts()).as("attempts for the plan hang, hang with maxAttempts = 2").isEqualTo(2);
    }

    @Test
    @Tag("5.3")
    @DisplayName("5.3 a child that starts a grandchild and crashes: its exit code decides, not the end of its output")
    void superviseJudgesACrashedChildByItsExit() throws Exception {
        Run run = supervise("orphan,ok", 3);
        assertThat(run.attempts()).as("attempts for the plan crash (leaving a grandchild behind), ok").isEqualTo(2);
        assertThat(run.returned()).as("what supervise returned: attempt 1 crashed, attempt 2 succeeded").isEqualTo(2);
    }

    // ---- helpers -----------------------------------------------------------------------

    /** One call of the learner's supervise: what it returned or threw, and what its children left in runDir. */
    record Run(Path runDir, Integer returned, Throwable threw, Duration limit, int maxAttempts) {

        int attempts() throws IOException {
            try (Stream<Path> files = Files.list(runDir)) {
                return (int) files.filter(file -> file.getFileName().toString().startsWith("attempt-")).count();
            }
        }

        List<Recorded> recorded() throws IOException {
            List<Recorded> all = new ArrayList<>();
            Path pids = runDir.resolve("pids");
            if (!Files.exists(pids)) return all;
            for (String line : Files.readAllLines(pids)) {
                String[] parts = line.split(" ", 3);
                all.add(new Recorded(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]));
            }
            return all;
        }

        /** What this run's children tell about the machine: too slow for the limit, or not. */
        boolean tooSlowForTheLimit(String plan) throws IOException {
            List<String> steps = List.of(plan.split(","));
            for (int attempt = 1; attempt <= attempts(); attempt++) {
                String step = attempt <= steps.size() ? steps.get(attempt - 1) : "ok";
                if (step.equals("ok") && longerThanHalfTheLimit(runDir.resolve("lived-" + attempt))) return true;
                if (step.equals("hang") && !Files.exists(runDir.resolve("ready-" + attempt))) return true;
            }
            return false;
        }

        private boolean longerThanHalfTheLimit(Path lived) throws IOException {
            return !Files.exists(lived) || 2 * Long.parseLong(Files.readString(lived).strip()) > limit.toMillis();
        }

        /**
         * Right now (the moment supervise came back), and as each attempt started: the hung
         * children must be gone (killed and waited for), everything below them killed.
         */
        void assertNothingLeftRunning() throws IOException {
            Path leftovers = runDir.resolve("leftovers");
            if (Files.exists(leftovers)) {
                fail("when an attempt started, processes of the attempt before it were left: %s; %s",
                        Files.readAllLines(leftovers), WHY);
            }
            Path atReturn = runDir.resolve("left at return");
            if (Files.exists(atReturn)) {
                fail("when supervise came back, processes of its last attempt were left: %s; kill the hung child with "
                        + "destroyForcibly() and wait until it is gone (waitFor): destroy and destroyForcibly only send a "
                        + "signal; and destroyForcibly() every descendant", Files.readAllLines(atReturn));
            }
            for (Recorded process : recorded()) {
                if (process.role().startsWith("orphan")) continue;
                Optional<ProcessHandle> handle = FlakyChild.same(process.pid(), process.startMillis());
                if (handle.isEmpty()) continue;
                boolean dying = FlakyChild.dying(handle.get());
                if (process.role().startsWith("hung child")) {
                    fail("process %d (the %s) was %s when supervise came back: kill it with destroyForcibly() and "
                            + "wait until it is gone (waitFor): destroy and destroyForcibly only send a signal",
                            process.pid(), process.role(), dying ? "killed but not yet ended" : "still running");
                }
                if (FlakyChild.running(handle.get()) && !dying) {
                    fail("process %d (the %s) was still running when supervise came back, never killed: ending a "
                            + "child does not end what it started, and children() lists only the next level; note "
                            + "process.descendants() (every level) before you kill the child, and destroyForcibly() "
                            + "each of them", process.pid(), process.role());
                }
            }
        }
    }

    static final String WHY = "end each attempt before the next: note process.descendants(), destroyForcibly() the "
            + "child and every descendant, and waitFor the child";

    record Recorded(long pid, long startMillis, String role) {}

    // Runs the learner's supervise on a thread of ours, with FlakyChild in a fresh folder
    // (its path has spaces); again with twice the limit if the children say the machine
    // was too slow for it, at most 3 times.
    Run supervise(String plan, int maxAttempts) throws Exception {
        Duration tryLimit = limit;
        for (int tried = 1; ; tried++) {
            Run run = superviseOnce(plan, tryLimit, maxAttempts, tried);
            if (tried == 3 || !run.tooSlowForTheLimit(plan)) return run;
            endLeftovers();
            tryLimit = tryLimit.multipliedBy(2);
        }
    }

    Run superviseOnce(String plan, Duration tryLimit, int maxAttempts, int tried) throws Exception {
        Path runDir = Files.createDirectories(dir.resolve("run " + plan + " " + tried));
        List<String> command = Jvm.command(FlakyChild.class, runDir.toString(), plan);
        Probe.Caller<Integer> caller = Probe.call("test-supervisor", () -> {
            try {
                return Processes.supervise(command, tryLimit, maxAttempts);
            } finally {
                // At once, on the thread supervise came back to: a child only sent a kill (tens of microseconds ago)
                // is still there, the kernel takes milliseconds to end a JVM of 128 MiB. Not forced: looked at early.
                FlakyChild.checkEarlierAttempts(runDir, "left at return");
            }
        });
        Duration bound = tryLimit.multipliedBy(maxAttempts + 1).plusSeconds(15);
        try {
            return new Run(runDir, caller.future().get(bound.toMillis(), TimeUnit.MILLISECONDS), null, tryLimit, maxAttempts);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnsupportedOperationException notDone) throw notDone;
            if (e.getCause() instanceof IllegalStateException gaveUp) return new Run(runDir, null, gaveUp, tryLimit, maxAttempts);
            throw new AssertionError("supervise threw " + e.getCause() + " (plan " + plan + ")", e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("supervise did not return within " + bound.toSeconds() + " s (plan " + plan
                    + ", limit per attempt " + tryLimit.toMillis() + " ms, " + maxAttempts + " attempts at most): does it "
                    + "wait for a hung child without a time limit, or read the child's output to its end? A grandchild "
                    + "can hold that output open long after the child has ended: decide by waitFor(limit) and the exit "
                    + "code, and discard the output (Redirect.DISCARD)");
        }
    }

    // Whatever the answer left running, end it: recorded processes (if still the same
    // process: same pid and start time), and any new descendant of this JVM.
    void endLeftovers() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path pids : files.filter(file -> file.getFileName().toString().equals("pids")).toList()) {
                for (String line : Files.readAllLines(pids)) {
                    String[] parts = line.split(" ", 3);
                    FlakyChild.same(Long.parseLong(parts[0]), Long.parseLong(parts[1])).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        for (ProcessHandle handle : ProcessHandle.current().descendants().toList()) {
            if (!descendantsBefore.contains(handle.pid())) handle.destroyForcibly();
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(file);
        }
    }
}
