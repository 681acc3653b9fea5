package course.cli;

import course.manifest.Manifest;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The course tool's command line. Exit codes, for every command: 0 all passed, 1 a graded
 * failure (an exercise not done, a check that failed), 2 a usage error, 3 an internal error (its
 * stack trace is printed).
 */
@Command(name = "course", mixinStandardHelpOptions = true, version = "course tool, manifest format " + Manifest.FORMAT,
        description = "The course's own commands.",
        subcommands = {CheckCommand.class, HintCommand.class, WatchCommand.class, GradeCommand.class, VerifyCommand.class,
                BenchCommand.class, TemplateCommand.class, GenerateCommand.class, CheckServer.Serve.class})
public final class Cli {

    public static final int PASSED = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int INTERNAL = 3;

    public static int run(String... args) {
        CommandLine line = new CommandLine(new Cli());
        line.setExecutionExceptionHandler((error, command, parsed) -> {
            if (error instanceof Manifest.Invalid || error instanceof UsageError) {
                command.getErr().println(error.getMessage());
                return USAGE;
            }
            command.getErr().println("internal error in the course tool (please report it, with this trace):");
            error.printStackTrace(command.getErr());
            return INTERNAL;
        });
        line.setErr(new PrintWriter(System.err, true));
        return line.execute(args);
    }

    /** A mistake in what was typed, found after parsing (no such lesson, no such folder). */
    public static final class UsageError extends RuntimeException {
        public UsageError(String message) {
            super(message);
        }
    }

    /**
     * The course's root: COURSE_ROOT (the ./jbang launcher sets it, so the commands work from
     * any folder), else the current folder or the nearest parent that holds course.yaml.
     */
    public static Path root() {
        String fromLauncher = System.getenv("COURSE_ROOT");
        if (fromLauncher != null && Files.isRegularFile(Path.of(fromLauncher, Manifest.FILE))) {
            return Path.of(fromLauncher).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve(Manifest.FILE))) return candidate;
        }
        throw new UsageError("no " + Manifest.FILE + " in " + dir + " or above: run this inside the course's folder");
    }

    /** The lessons named by id or slug ("03", "3", "race"); all of them for none. */
    public static List<Manifest.Lesson> select(Manifest manifest, List<String> ids) {
        if (ids == null || ids.isEmpty()) return manifest.lessons();
        List<Manifest.Lesson> lessons = new ArrayList<>();
        for (String id : ids) {
            lessons.add(manifest.lesson(id).orElseThrow(() -> new UsageError("no lesson " + id + "; the lessons are "
                    + String.join(" ", manifest.lessons().stream().map(Manifest.Lesson::id).toList()))));
        }
        return lessons;
    }
}
