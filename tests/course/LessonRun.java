package course;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a lesson or solution file as a program, as JBang would, with a time limit. */
public final class LessonRun {

    private LessonRun() {}

    /** {@code leftBehind}: processes it started that were still running after it ended. */
    public record Result(boolean compiled, List<Events.Diagnostic> diagnostics, int exitCode, boolean timedOut,
                         String output, long millis, int leftBehind) {}

    public static Result run(Path source, String displayName, List<String> args, Duration limit) throws Exception {
        Path work = Files.createTempDirectory("course-run-");
        try {
            Path classes = work.resolve("classes");
            Path copy = work.resolve(source.getFileName());
            Files.copy(source, copy);
            List<Events.Diagnostic> errors = Sources.compile(List.of(copy), classes, "", Map.of(copy, displayName));
            if (!errors.isEmpty()) return new Result(false, errors, -1, false, "", 0, 0);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-cp");
            command.add(classes.toString());
            command.add(Sources.mainClass(Files.readString(source)));
            command.addAll(args);
            long begin = System.nanoTime();
            Process process = Processes.start(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .directory(work.toFile()));
            Runner.Drain drain = new Runner.Drain(process.getInputStream());
            Thread drainer = Thread.ofPlatform().daemon().start(drain);
            boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            Processes.endTree(process.toHandle());
            process.waitFor();
            Processes.done(process);
            int leftBehind = Processes.sweepOrphans();
            drainer.join(2_000);
            long millis = (System.nanoTime() - begin) / 1_000_000;
            return new Result(true, List.of(), process.exitValue(), !ended, drain.text(), millis, leftBehind);
        } finally {
            Runner.deleteTree(work);
        }
    }
}
