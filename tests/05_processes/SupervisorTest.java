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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tests for exercise 5.3 of lessons/05_processes.java. The supervised child is
 * {@link FlakyChild}; a plan argument says what each attempt does, and the files it
 * leaves in a temporary folder say how many attempts there were and which processes
 * ran, so the test can check that every one of them has ended.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SupervisorTest {

    Path dir;
    Set<Long> descendantsBefore;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("supervisor-test");
        descendantsBefore = ProcessesTest.descendantPids();
    }

    @AfterEach
    void endEverythingAndCleanUp() throws IOException {
        // Whatever the answer left running, end it: recorded processes (if still the same
        // process: same pid and start time), and any new descendant of this JVM.
        for (Recorded process : recorded()) process.handle().ifPresent(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : ProcessHandle.current().descendants().toList()) {
            if (!descendantsBefore.contains(handle.pid())) handle.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(file);
        }
    }

    @Test
    @Tag("5.3")
    @DisplayName("5.3 restarts a crashing child and returns the attempt that succeeded")
    void superviseRestartsUntilSuccess() throws Exception {
        int attempt = supervise("crash,crash,ok", Duration.ofSeconds(20), 5);
        assertThat(attempts()).as("attempts started for the plan crash, crash, ok").isEqualTo(3);
        assertThat(attempt).as("what supervise returned: the number of the attempt that exited with 0").isEqualTo(3);
        assertNothingLeftRunning();

        int first = supervise("ok", Duration.ofSeconds(20), 5, "second");
        assertThat(first).as("a child that succeeds at once: supervise returns attempt 1").isEqualTo(1);
    }

    @Test
    @Tag("5.3")
    @DisplayName("5.3 gives up after exactly maxAttempts failed attempts")
    void superviseGivesUp() throws Exception {
        try {
            int attempt = supervise("crash,crash,crash,crash,crash", Duration.ofSeconds(20), 3);
            fail("supervise returned %d for a child that crashed every time: after 3 failed attempts it must throw "
                    + "IllegalStateException(\"gave up after 3 attempts\")", attempt);
        } catch (IllegalStateException e) {
            assertThat(e.getMessage()).as("the message of the exception").isEqualTo("gave up after 3 attempts");
        }
        assertThat(attempts())
                .as("attempts started with maxAttempts = 3 (count them: 1, 2, 3, and no fourth)")
                .isEqualTo(3);
        assertNothingLeftRunning();
    }

    @Test
    @Tag("5.3")
    @DisplayName("5.3 kills a hung child and everything it started, then tries again")
    void superviseKillsAHungChildAndItsDescendants() throws Exception {
        int attempt = supervise("hang,ok", Duration.ofSeconds(5), 3);
        assertNothingLeftRunning();
        assertThat(recorded()).as("processes the hung attempt started (itself and its grandchild)").hasSize(2);
        assertThat(attempts()).as("attempts for the plan hang, ok").isEqualTo(2);
        assertThat(attempt).as("what supervise returned: the hung attempt 1 failed, attempt 2 succeeded").isEqualTo(2);
    }

    // ---- helpers -----------------------------------------------------------------------

    int supervise(String plan, Duration limit, int maxAttempts) throws Exception {
        return supervise(plan, limit, maxAttempts, "first");
    }

    // Runs the learner's supervise on a thread of ours, with FlakyChild in `dir/<run>`.
    int supervise(String plan, Duration limit, int maxAttempts, String run) throws Exception {
        Path runDir = Files.createDirectories(dir.resolve(run));
        List<String> command = Jvm.command(FlakyChild.class, runDir.toString(), plan);
        Probe.Caller<Integer> caller = Probe.call("test-supervisor",
                () -> Processes.supervise(command, limit, maxAttempts));
        try {
            return caller.future().get(25, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("supervise did not return within 25 s (limit per attempt "
                    + limit.toSeconds() + " s): does it wait for a hung child without a time limit?");
        }
    }

    int attempts() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return (int) files.filter(file -> file.getFileName().toString().startsWith("attempt-")).count();
        }
    }

    record Recorded(long pid, long startMillis, String role) {
        /** The process, if it is still running and still the one recorded (pids are reused). */
        Optional<ProcessHandle> handle() {
            return ProcessHandle.of(pid).filter(SupervisorTest::running).filter(handle -> startMillis < 0
                    || handle.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(startMillis) == startMillis);
        }
    }

    List<Recorded> recorded() throws IOException {
        List<Recorded> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(file -> file.getFileName().toString().equals("pids")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    String[] parts = line.split(" ", 3);
                    all.add(new Recorded(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]));
                }
            }
        }
        return all;
    }

    /**
     * Alive and not a zombie. A killed process stays in the process table until its parent
     * reaps it; for an orphaned grandchild that parent is init or a supervisor (the course
     * tool reaps only at the end), so isAlive() alone would still say true.
     */
    static boolean running(ProcessHandle handle) {
        if (!handle.isAlive()) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return handle.isAlive(); // no /proc here: trust isAlive
        }
    }

    void assertNothingLeftRunning() throws IOException {
        // A process killed with SIGKILL ends at once, but we allow it PATIENCE to be gone;
        // a forgotten or politely asked one is still there after a minute.
        Probe.eventually(() -> {
            try {
                return recorded().stream().allMatch(process -> process.handle().isEmpty());
            } catch (IOException e) {
                return false;
            }
        });
        for (Recorded process : recorded()) {
            if (process.handle().isPresent()) {
                String why = process.role().startsWith("grandchild")
                        ? "ending a child does not end what it started: note process.descendants() before you kill "
                                + "the child, and end each of them too (destroyForcibly)"
                        : "a hung child may ignore destroy() (this one's shutdown hook never finishes): "
                                + "kill it with destroyForcibly() and wait until it is gone (waitFor or onExit)";
                fail("process %d (the %s) is still running after supervise returned: %s",
                        process.pid(), process.role(), why);
            }
        }
        List<Long> left = ProcessHandle.current().descendants().filter(SupervisorTest::running).map(ProcessHandle::pid)
                .filter(pid -> !descendantsBefore.contains(pid)).toList();
        assertThat(left).as("processes this JVM started that are still running after supervise returned").isEmpty();
    }
}
