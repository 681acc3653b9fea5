package course;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * `./jbang verify`: the project's own suite. It proves that every test passes against
 * solutions/, every exercise fails as shipped, every known-wrong answer is rejected, every
 * lesson and solution runs and prints what it promises, and that the manifest, the catalog
 * and the files agree.
 */
public final class Verify {

    private final Path root;
    private final Manifest manifest;
    private final int repeat;
    private final boolean fixtures;
    private final AtomicInteger passed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<String> failures = new ArrayList<>();
    /** How many runs of each known-wrong answer were rejected, for --repeat. */
    private final Map<String, int[]> caught = new java.util.concurrent.ConcurrentSkipListMap<>();

    Verify(Path root, Manifest manifest, int repeat, boolean fixtures) {
        this.root = root;
        this.manifest = manifest;
        this.repeat = repeat;
        this.fixtures = fixtures;
    }

    public static int run(Path root, Manifest manifest, List<Manifest.Lesson> lessons, int repeat, int jobs,
                          boolean fixtures) throws Exception {
        return new Verify(root, manifest, repeat, fixtures).verify(lessons, jobs);
    }

    int verify(List<Manifest.Lesson> lessons, int jobs) throws Exception {
        long begin = System.nanoTime();
        System.out.println("== The manifest, the catalog and the files agree ==");
        Consistency.check(root, manifest, lessons, this::record);

        System.out.println();
        System.out.println("== Tests against solutions/, the lessons as shipped, and the known-wrong answers;"
                + " lessons and solutions run; the grader on broken and hostile submissions ==");
        List<Future<?>> work = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(jobs)) {
            for (Manifest.Lesson lesson : lessons) {
                work.add(pool.submit(() -> { testLesson(lesson); return null; }));
                work.add(pool.submit(() -> { runProgram(lesson, "lessons"); return null; }));
                work.add(pool.submit(() -> { runProgram(lesson, "solutions"); return null; }));
            }
            boolean withFixtures = fixtures && Files.isRegularFile(root.resolve("tests/fixtures/grading.json"));
            if (withFixtures) {
                for (Fixtures.Fixture fixture : Fixtures.load(root)) {
                    if (lessons.stream().noneMatch(lesson -> lesson.id().equals(fixture.lesson()))) continue;
                    work.add(pool.submit(() -> { Fixtures.grade(root, manifest, fixture, this::record); return null; }));
                }
            }
            for (Future<?> future : work) future.get();
            if (withFixtures) {
                List<String> leftovers = Fixtures.leftovers();
                record(leftovers.isEmpty(), "no process that a graded submission started is left running", String.join("\n", leftovers));
            }
        }
        if (repeat > 1) {
            System.out.println();
            System.out.println("== Known-wrong answers: runs rejected out of runs ==");
            caught.forEach((name, counts) -> System.out.printf("  %-45s %d/%d%n", name, counts[0], counts[1]));
        }
        System.out.println();
        if (!failures.isEmpty()) {
            System.out.println("Failed:");
            failures.forEach(failure -> System.out.println("  - " + failure));
        }
        System.out.printf("verify took %.1f s%n", (System.nanoTime() - begin) / 1e9);
        System.out.println(passed.get() + " passed, " + failed.get() + " failed");
        return failed.get() == 0 ? 0 : 1;
    }

    synchronized void record(boolean ok, String what, String detail) {
        (ok ? passed : failed).incrementAndGet();
        System.out.println((ok ? "  ok    " : "  FAIL  ") + what + (detail == null || detail.isBlank() ? "" : "\n" + indent(detail)));
        if (!ok) failures.add(what);
    }

    static String indent(String text) {
        return text.strip().lines().limit(30).map(line -> "          " + line).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    /** The committed version of a lesson (the one learners get), or the working file if it is new. */
    Path shipped(Manifest.Lesson lesson, Path temp) throws IOException, InterruptedException {
        Path file = root.resolve("lessons").resolve(lesson.fileName());
        Process git = Processes.start(new ProcessBuilder("git", "show", "HEAD:lessons/" + lesson.fileName())
                .directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD));
        byte[] committed = git.getInputStream().readAllBytes();
        int status = git.waitFor();
        Processes.done(git);
        if (status != 0) return file;
        if (!java.util.Arrays.equals(committed, Files.readAllBytes(file))) {
            System.out.println("  note  lessons/" + lesson.fileName() + " differs from the committed version: "
                    + "verify checks the committed one (commit to check yours)");
        }
        Path copy = Files.createDirectories(temp.resolve("shipped")).resolve(lesson.fileName());
        Files.write(copy, committed);
        return copy;
    }

    void testLesson(Manifest.Lesson lesson) throws Exception {
        Path temp = Files.createTempDirectory("course-verify-");
        try {
            Path solution = root.resolve("solutions").resolve(lesson.fileName());
            List<Events.Variant> variants = new ArrayList<>();
            variants.add(new Events.Variant("solution", solution.toString(), null));
            variants.add(new Events.Variant("shipped", shipped(lesson, temp).toString(), null));
            List<Path> wrongs = Sources.javaFiles(root.resolve("tests").resolve(lesson.folder()).resolve("wrong"));
            for (Path wrong : wrongs) {
                for (int run = 1; run <= repeat; run++) {
                    // Only the wrong exercise's tests: the others would test the solution again.
                    variants.add(new Events.Variant(wrongName(wrong, run), solution.toString(), wrong.toString(),
                            exerciseOf(wrong)));
                }
            }
            Duration limit = Duration.ofSeconds((long) lesson.gradeSeconds() * Math.max(2, variants.size()));
            Runner.JobResult job = Runner.run(root, lesson, variants, limit, null);

            Runner.VariantResult solved = job.variants().get("solution");
            List<String> bad = solved.tests.values().stream().filter(test -> !"pass".equals(test.status()))
                    .map(test -> test.name() + ": " + test.status() + ": " + test.message()).toList();
            record(solved.compiled && bad.isEmpty() && !solved.tests.isEmpty(),
                    lesson.id() + " solution passes all " + solved.tests.size() + " tests",
                    !solved.compiled ? diagnostics(solved) : String.join("\n", bad));

            Runner.VariantResult shipped = job.variants().get("shipped");
            for (Manifest.Exercise exercise : lesson.exercises()) {
                Check.Verdict verdict = Check.verdict(exercise, shipped);
                record(verdict.status() == Check.Status.NOT_STARTED,
                        lesson.id() + " shipped exercise " + exercise.id() + " fails with \"not done yet\"",
                        verdict.status() == Check.Status.NOT_STARTED ? null
                                : verdict.status() + ": " + (shipped.compiled ? verdict.message() : diagnostics(shipped)));
            }

            for (Path wrong : wrongs) {
                String exercise = exerciseOf(wrong);
                int rejected = 0;
                String detail = null;
                for (int run = 1; run <= repeat; run++) {
                    Runner.VariantResult result = job.variants().get(wrongName(wrong, run));
                    String why = rejection(result, exercise);
                    if (why != null) {
                        rejected++;
                        if (detail == null) detail = why;
                    } else {
                        detail = result.compiled ? "every test of " + exercise + " passed: the tests do not catch this mistake"
                                : diagnostics(result);
                    }
                }
                caught.put(lesson.id() + " " + wrong.getFileName(), new int[] {rejected, repeat});
                record(rejected == repeat, lesson.id() + " wrong answer " + wrong.getFileName() + " is rejected"
                        + (repeat > 1 ? " (" + rejected + "/" + repeat + " runs)" : ""), rejected == repeat ? null : detail);
            }
        } finally {
            Runner.deleteTree(temp);
        }
    }

    /** The exercise a known-wrong answer is for: its file name up to the first '-'. */
    static String exerciseOf(Path wrong) {
        return wrong.getFileName().toString().split("-", 2)[0];
    }

    static String wrongName(Path wrong, int run) {
        return "wrong " + wrong.getFileName() + " #" + run;
    }

    /** Why the tests rejected a wrong answer (null if they did not): a real failure of its exercise. */
    static String rejection(Runner.VariantResult result, String exercise) {
        if (!result.compiled) return null; // a wrong answer must compile: a typo proves nothing
        return result.testsOf(exercise).stream()
                .filter(test -> !"pass".equals(test.status()) && !test.notDone())
                .map(test -> test.name()).findFirst().orElse(null);
    }

    static String diagnostics(Runner.VariantResult result) {
        return "does not compile:\n" + String.join("\n", result.diagnostics.stream().map(Object::toString).toList());
    }

    void runProgram(Manifest.Lesson lesson, String folder) throws Exception {
        Path temp = Files.createTempDirectory("course-verify-");
        try {
            Path file = folder.equals("lessons") ? shipped(lesson, temp) : root.resolve(folder).resolve(lesson.fileName());
            List<String> args = folder.equals("lessons") ? lesson.runArgs() : List.of();
            LessonRun.Result run = LessonRun.run(file, folder + "/" + lesson.fileName(), args,
                    Duration.ofSeconds(lesson.runSeconds()));
            String what = String.format("%s/%s runs%s", folder, lesson.fileName(), args.isEmpty() ? "" : " " + String.join(" ", args));
            if (!run.compiled()) {
                record(false, what, "does not compile:\n" + String.join("\n", run.diagnostics().stream().map(Object::toString).toList()));
                return;
            }
            List<String> missing = folder.equals("lessons")
                    ? lesson.prints().stream().filter(regex -> !Pattern.compile(regex, Pattern.MULTILINE).matcher(run.output()).find()).toList()
                    : List.of();
            List<String> samples = folder.equals("lessons") ? Samples.check(Files.readString(file), run.output()) : List.of();
            if (!samples.isEmpty()) {
                missing = new ArrayList<>(missing);
                missing.addAll(samples);
            }
            boolean ok = run.exitCode() == 0 && !run.timedOut() && missing.isEmpty() && run.leftBehind() == 0;
            String summary = String.format(" in %.1f s, exit %d%s", run.millis() / 1000.0, run.exitCode(),
                    folder.equals("lessons") ? ", prints all " + lesson.prints().size() + " promised lines, "
                            + Samples.count(Files.readString(file)) + " samples match" : "");
            String detail = run.timedOut() ? "did not end within " + lesson.runSeconds() + " s"
                    : run.leftBehind() > 0 ? run.leftBehind() + " processes it started were still running after it ended"
                    : run.exitCode() != 0 ? "exit code " + run.exitCode() + ":\n" + Runner.tail(run.output())
                    : missing.isEmpty() ? null : "does not print: " + String.join(" | ", missing) + "\n--- output:\n" + Runner.tail(run.output());
            record(ok, what + (ok ? summary : ""), detail);
        } finally {
            Runner.deleteTree(temp);
        }
    }

    /** A check that {@code record}s its findings. */
    interface Recorder {
        void record(boolean ok, String what, String detail);
    }
}
