package course.verify;

import course.engine.Processes;
import course.engine.Program;
import course.engine.Text;
import course.manifest.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Part (d) of verify: every lesson (with its runArgs, usually --quick) and every solution runs to
 * exit code 0 within its time limit and leaves no process running; a lesson prints every line its
 * manifest promises, and every sample of output pasted into it still matches what it prints.
 */
public final class Programs {

    private Programs() {}

    public static void run(Path root, Manifest.Lesson lesson, String folder, Recorder out) throws Exception {
        boolean isLesson = folder.equals("lessons");
        Path file = root.resolve(folder).resolve(lesson.fileName());
        String committed = isLesson ? LessonTests.Shipped.text(root, lesson, null) : Files.readString(file);
        Path copy = Processes.tempFolder("course-program-").resolve(lesson.fileName());
        Files.writeString(copy, committed);
        List<String> args = isLesson ? lesson.harness().runArgs() : List.of();
        Program.Result run;
        try {
            run = Program.run(copy, folder + "/" + lesson.fileName(), args, Duration.ofSeconds(lesson.harness().runSeconds()));
        } finally {
            Processes.deleteTree(copy.getParent());
        }
        String what = folder + "/" + lesson.fileName() + " runs" + (args.isEmpty() ? "" : " " + String.join(" ", args));
        if (!run.compiled()) {
            out.record(false, what, "does not compile:\n" + String.join("\n",
                    run.diagnostics().stream().map(Object::toString).toList()));
            return;
        }
        List<String> missing = new ArrayList<>();
        int samples = 0;
        if (isLesson) {
            for (String regex : lesson.harness().prints()) {
                if (!Pattern.compile(regex, Pattern.MULTILINE).matcher(run.output()).find()) missing.add("does not print: "
                        + regex);
            }
            missing.addAll(Samples.check(committed, run.output()));
            samples = Samples.count(committed);
        }
        boolean ok = run.exitCode() == 0 && !run.timedOut() && missing.isEmpty() && run.leftBehind() == 0;
        String summary = String.format(" in %.1f s, exit %d%s", run.millis() / 1000.0, run.exitCode(),
                isLesson ? ", prints all " + lesson.harness().prints().size() + " promised lines, " + samples + " samples match"
                        : "");
        out.record(ok, what + (ok ? summary : ""), ok ? null : problem(run, lesson, missing));
    }

    /** What went wrong with a run, the first thing first. */
    static String problem(Program.Result run, Manifest.Lesson lesson, List<String> missing) {
        if (run.timedOut()) return "did not end within " + lesson.harness().runSeconds() + " s";
        if (run.leftBehind() > 0) return run.leftBehind() + " processes it started were still running after it ended";
        if (run.exitCode() != 0) return "exit code " + run.exitCode() + ":\n" + Text.tail(run.output(), 4000);
        return String.join("\n", missing) + "\n--- output:\n" + Text.tail(run.output(), 4000);
    }
}
