package course.verify;

import course.engine.Processes;
import course.engine.Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Part (h) of verify: the tool's own tests. Each suite is a program that prints TAP
 * ({@code ok N - what}, {@code not ok N - what} and indented detail lines) and exits 0 only when
 * all of it passed; every TAP line becomes a line of verify's report.
 */
public final class SelfTests {

    private SelfTests() {}

    /** The suites, as commands run from the course's root. */
    static final List<List<String>> SUITES = List.of(
            List.of("./jbang", "course/test/ToolTests.java"),
            List.of("./jbang", "course/test/Style.java"),
            List.of("sh", "course/test/launcher-test.sh"));

    static final int LIMIT_MINUTES = 5;

    public static void run(Path root, Recorder out) throws IOException, InterruptedException {
        for (List<String> suite : SUITES) run(root, suite, out);
    }

    static void run(Path root, List<String> command, Recorder out) throws IOException, InterruptedException {
        String name = String.join(" ", command);
        if (!Files.isRegularFile(root.resolve(command.getLast()))) {
            out.record(false, "the tool's tests: " + name, "no file " + command.getLast());
            return;
        }
        Path log = Files.createTempFile("course-selftest-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            long begin = System.nanoTime();
            Process process = Processes.start(builder);
            boolean ended = process.waitFor(LIMIT_MINUTES, TimeUnit.MINUTES);
            Processes.endTree(process.toHandle());
            process.waitFor();
            Processes.done(process);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            int passed = report(output, name, out);
            boolean ok = ended && process.exitValue() == 0 && passed > 0;
            out.record(ok, String.format("the tool's tests: %s (%d passed, %.1f s)", name, passed,
                    (System.nanoTime() - begin) / 1e9), ok ? null : (ended ? "exit code " + process.exitValue()
                    : "still running after " + LIMIT_MINUTES + " minutes") + "\n" + Text.tail(output, 3000));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Records each failed TAP test with its detail lines; returns how many passed. */
    static int report(String tap, String suite, Recorder out) {
        int passed = 0;
        String failing = null;
        List<String> detail = new ArrayList<>();
        for (String line : (tap + "\nok").lines().toList()) {
            boolean result = line.startsWith("ok ") || line.equals("ok") || line.startsWith("not ok");
            if (!result) {
                if (failing != null && (line.startsWith(" ") || line.startsWith("#"))) detail.add(line.strip());
                continue;
            }
            if (failing != null) out.record(false, suite + ": " + failing, String.join("\n", detail));
            failing = line.startsWith("not ok") ? line.substring("not ok".length()).strip() : null;
            detail.clear();
            if (line.startsWith("ok ")) passed++;
        }
        return passed;
    }
}
