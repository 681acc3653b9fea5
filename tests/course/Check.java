package course;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** `./jbang check [NN ...]`: the learner's loop. Tests their lessons/ and says what is next. */
public final class Check {

    private Check() {}

    /** An exercise's verdict, from the results of its tests. */
    public enum Status { DONE, NOT_YET, NOT_STARTED, BROKEN }

    public record Verdict(Manifest.Exercise exercise, Status status, String message) {}

    public static Verdict verdict(Manifest.Exercise exercise, Runner.VariantResult result) {
        if (!result.compiled) return new Verdict(exercise, Status.BROKEN, "the lesson does not compile");
        List<Runner.TestResult> tests = result.testsOf(exercise.id());
        if (tests.isEmpty()) {
            return new Verdict(exercise, Status.BROKEN, result.problem != null ? result.problem : "no test ran for it");
        }
        List<Runner.TestResult> failed = tests.stream().filter(test -> !"pass".equals(test.status())).toList();
        if (failed.isEmpty()) return new Verdict(exercise, Status.DONE, null);
        if (failed.stream().allMatch(Runner.TestResult::notDone)) {
            return new Verdict(exercise, Status.NOT_STARTED, failed.get(0).message());
        }
        Runner.TestResult first = failed.stream().filter(test -> !test.notDone()).findFirst().orElseThrow();
        return new Verdict(exercise, Status.NOT_YET, first.name() + ":\n" + first.message());
    }

    public static int run(Path root, Manifest manifest, List<Manifest.Lesson> lessons, Path lessonsDir) throws Exception {
        Console out = new Console();
        int done = 0;
        int total = 0;
        Verdict next = null;
        // Two lessons are tested at once; their reports are printed in lesson order.
        List<java.util.concurrent.Future<Runner.JobResult>> jobs = new ArrayList<>();
        try (java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            for (Manifest.Lesson lesson : lessons) {
                Path file = lessonsDir.resolve(lesson.fileName());
                jobs.add(pool.submit(() -> file.toFile().isFile()
                        ? Runner.run(root, lesson, List.of(new Events.Variant("lesson", file.toString(), null)),
                                Duration.ofSeconds(lesson.gradeSeconds()), null)
                        : null));
            }
            for (int i = 0; i < lessons.size(); i++) {
                Manifest.Lesson lesson = lessons.get(i);
                Path file = lessonsDir.resolve(lesson.fileName());
                out.heading("Lesson " + lesson.id() + ": " + lesson.title() + "   (" + root.relativize(file) + ")");
                total += lesson.exercises().size();
                Runner.JobResult job = jobs.get(i).get();
                if (job == null) {
                    out.line("  missing: " + file);
                    continue;
                }
                Runner.VariantResult result = job.variants().get("lesson");
                if (!result.compiled) {
                    out.line("  " + out.red("does not compile") + ":");
                    result.diagnostics.forEach(diagnostic -> out.line("    " + diagnostic));
                    if (result.diagnostics.stream().anyMatch(d -> d.file().startsWith("tests/"))) {
                        out.line("  (an error in a test file means a method or type the tests need is missing, renamed,"
                                + " or has another signature: compare with the exercise's comment)");
                    }
                }
                for (Manifest.Exercise exercise : lesson.exercises()) {
                    Verdict verdict = verdict(exercise, result);
                    if (verdict.status() == Status.DONE) done++;
                    else if (next == null) next = verdict;
                    out.exercise(verdict);
                }
                out.line(String.format("  (checked in %.1f s)", job.millis() / 1000.0));
            }
        }
        out.line("");
        out.line(out.progress(done, total));
        if (next == null) {
            out.line(out.green("Every checked exercise is done."));
        } else {
            String id = next.exercise().id();
            Manifest.Lesson lesson = manifest.lessonOf(next.exercise());
            out.line("Next: exercise " + id + " in lessons/" + lesson.fileName() + ". Check it with ./jbang check "
                    + lesson.id() + "; stuck? ./jbang hint " + id);
        }
        return done == total ? 0 : 1;
    }

    /** Text for people: aligned, coloured when the terminal is one. */
    public static final class Console {
        final boolean colour = System.console() != null && System.getenv("NO_COLOR") == null;

        public void heading(String text) {
            System.out.println();
            System.out.println(colour ? "\033[1m" + text + "\033[0m" : text);
        }

        public void line(String text) {
            System.out.println(text);
        }

        public String green(String text) {
            return colour ? "\033[32m" + text + "\033[0m" : text;
        }

        public String red(String text) {
            return colour ? "\033[31m" + text + "\033[0m" : text;
        }

        public String yellow(String text) {
            return colour ? "\033[33m" + text + "\033[0m" : text;
        }

        void exercise(Verdict verdict) {
            String mark = switch (verdict.status()) {
                case DONE -> green("done   ");
                case NOT_STARTED -> yellow("to do  ");
                case NOT_YET -> red("not yet");
                case BROKEN -> red("broken ");
            };
            line(String.format("  %s  %-5s %s", mark, verdict.exercise().id(), verdict.exercise().title()));
            if (verdict.status() == Status.NOT_YET || verdict.status() == Status.BROKEN) {
                for (String messageLine : indent(verdict.message()).split("\n")) line("           " + messageLine);
            }
        }

        static String indent(String message) {
            if (message == null) return "";
            List<String> lines = new ArrayList<>(List.of(message.strip().split("\n")));
            if (lines.size() > 12) {
                int more = lines.size() - 12;
                lines = new ArrayList<>(lines.subList(0, 12));
                lines.add("[" + more + " more lines]");
            }
            return String.join("\n", lines);
        }

        public String progress(int done, int total) {
            int width = 30;
            int filled = total == 0 ? 0 : done * width / total;
            return String.format("exercises done: %d/%d  [%s%s]", done, total, "#".repeat(filled), ".".repeat(width - filled));
        }
    }
}
