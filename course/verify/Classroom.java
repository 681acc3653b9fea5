package course.verify;

import course.engine.Processes;
import course.engine.Text;
import course.manifest.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Part (g) of verify: .github/workflows/classroom.yml run as GitHub would run it, without
 * GitHub. In the repository a class gets ({@code ./jbang student-template}), its {@code run:} steps run with the caller's
 * environment, and each {@code autograding-command-grader} step's command as that action runs
 * it: with only PATH, HOME and FORCE_COLOR set, its {@code timeout} in minutes, and
 * {@code max-score} points when the command exits 0, none otherwise. With solutions/ as the
 * lessons every step must score in full; with the lessons as shipped, every step must score 0.
 */
public final class Classroom {

    private Classroom() {}

    static final String GRADER = "classroom-resources/autograding-command-grader";
    static final Path WORKFLOW = Path.of(".github/workflows/classroom.yml");

    /** One step of the workflow: a shell command, or a scored command of the grader action. */
    record Step(String name, String run, String command, int timeoutMinutes, int maxScore) {
        boolean scored() {
            return command != null;
        }
    }

    /** What a scored step gave: its points, and the end of what it printed when it lost them. */
    record Score(Step step, int points, String output, double seconds) {}

    public static void run(Path root, Manifest manifest, List<Manifest.Lesson> selected, int jobs, Recorder out)
            throws Exception {
        List<Step> steps = steps(Files.readString(root.resolve(WORKFLOW)));
        Set<String> exercises = selected.stream().flatMap(l -> l.exercises().stream()).map(Manifest.Exercise::id)
                .collect(Collectors.toSet());
        List<Step> scored = steps.stream().filter(Step::scored)
                .filter(step -> exercises.contains(exerciseOf(step.command()))).toList();
        Path copy = Processes.tempFolder("course-classroom-");
        try {
            copyRepository(root, copy);
            for (Step step : steps) {
                if (step.run() == null) continue;
                Run result = execute(copy, List.of("sh", "-c", step.run()), callerEnvironment(), 10);
                out.record(result.code() == 0, String.format("Classroom: the step '%s' exits 0 (%.1f s)", step.name(),
                        result.seconds()), result.code() == 0 ? null
                        : "exit code " + result.code() + "\n" + Text.tail(result.output(), 2000));
            }
            Map<String, byte[]> shipped = replaceLessons(copy, root.resolve("solutions"));
            expectScores(copy, scored, jobs, true, "the reference solutions", out);
            for (Map.Entry<String, byte[]> lesson : shipped.entrySet()) {
                Files.write(copy.resolve("lessons").resolve(lesson.getKey()), lesson.getValue());
            }
            expectScores(copy, scored, jobs, false, "the lessons as shipped", out);
        } finally {
            Processes.deleteTree(copy);
        }
    }

    static void expectScores(Path copy, List<Step> scored, int jobs, boolean full, String what, Recorder out)
            throws Exception {
        List<Score> scores = scoreByLesson(copy, scored, jobs);
        int points = 0;
        int max = 0;
        List<String> wrong = new ArrayList<>();
        for (Score score : scores) {
            points += score.points();
            max += score.step().maxScore();
            if (score.points() != (full ? score.step().maxScore() : 0)) {
                wrong.add(score.step().name() + ": " + score.points() + "/" + score.step().maxScore()
                        + (score.output().isBlank() ? "" : "\n" + Text.tail(score.output(), 1500).indent(4)));
            }
        }
        List<Score> slowest = scores.stream().sorted(Comparator.comparingDouble(Score::seconds).reversed()).limit(3)
                .toList();
        out.record(wrong.isEmpty(), String.format("Classroom: %s score %d/%d over %d steps, as GitHub would count them "
                + "(steps %.1f s in all; slowest %s)", what, points, max, scored.size(),
                scores.stream().mapToDouble(Score::seconds).sum(), String.join(", ", slowest.stream()
                        .map(score -> String.format("%s %.1f s", exerciseOf(score.step().command()), score.seconds())).toList())),
                String.join("\n", wrong));
    }

    /**
     * Every step's score, in the workflow's order: a lesson's steps one after another, as GitHub runs
     * them (the first runs the lesson's file whole and keeps the results for the others), and
     * {@code jobs} lessons side by side.
     */
    static List<Score> scoreByLesson(Path copy, List<Step> scored, int jobs) throws Exception {
        Map<String, List<Step>> byLesson = new LinkedHashMap<>();
        for (Step step : scored) {
            byLesson.computeIfAbsent(exerciseOf(step.command()).split("\\.")[0], lesson -> new ArrayList<>()).add(step);
        }
        List<Future<List<Score>>> lessons = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs))) {
            for (List<Step> steps : byLesson.values()) {
                lessons.add(pool.submit((Callable<List<Score>>) () -> {
                    List<Score> scores = new ArrayList<>();
                    for (Step step : steps) scores.add(score(copy, step));
                    return scores;
                }));
            }
        }
        List<Score> scores = new ArrayList<>();
        for (Future<List<Score>> lesson : lessons) scores.addAll(lesson.get());
        return scores;
    }

    /** Runs one grader step as the action does: its own small environment, its limit, all or nothing. */
    static Score score(Path copy, Step step) throws IOException, InterruptedException {
        Run result = execute(copy, List.of("sh", "-c", step.command()), graderEnvironment(), step.timeoutMinutes());
        boolean passed = result.code() == 0 && !result.timedOut();
        return new Score(step, passed ? step.maxScore() : 0, passed ? "" : result.output(), result.seconds());
    }

    record Run(int code, boolean timedOut, String output, double seconds) {}

    static Run execute(Path dir, List<String> command, Map<String, String> env, int minutes)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Path folder = Processes.tempFolder("course-classroom-step-");
        Path log = folder.resolve("step.log");
        try {
            builder.redirectOutput(log.toFile());
            long begin = System.nanoTime();
            Process process = Processes.start(builder);
            boolean ended = process.waitFor(minutes, TimeUnit.MINUTES);
            Processes.endTree(process.toHandle());
            process.waitFor();
            Processes.done(process);
            return new Run(ended ? process.exitValue() : -1, !ended, Text.tail(Files.readString(log, StandardCharsets.UTF_8),
                    8000), (System.nanoTime() - begin) / 1e9);
        } finally {
            Processes.deleteTree(folder);
        }
    }

    /** What autograding-command-grader passes to the command: PATH, HOME and FORCE_COLOR, nothing else. */
    static Map<String, String> graderEnvironment() {
        return Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "HOME", System.getProperty("user.home"), "FORCE_COLOR", "true");
    }

    /** A run: step's environment: the caller's, less what points at this checkout rather than the copy. */
    static Map<String, String> callerEnvironment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("COURSE_ROOT");
        return env;
    }

    /** The steps of the workflow's first job, in order. */
    @SuppressWarnings("unchecked")
    static List<Step> steps(String workflow) {
        Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(workflow);
        Map<String, Object> jobs = (Map<String, Object>) document.get("jobs");
        Map<String, Object> job = (Map<String, Object>) jobs.values().iterator().next();
        List<Step> steps = new ArrayList<>();
        for (Map<String, Object> step : (List<Map<String, Object>>) job.get("steps")) {
            String name = String.valueOf(step.get("name"));
            Object uses = step.get("uses");
            if (step.get("run") != null) {
                steps.add(new Step(name, step.get("run").toString(), null, 0, 0));
            } else if (uses != null && uses.toString().startsWith(GRADER + "@")) {
                Map<String, Object> with = (Map<String, Object>) step.get("with");
                steps.add(new Step(name, null, with.get("command").toString(),
                        Integer.parseInt(with.get("timeout").toString()), Integer.parseInt(with.get("max-score").toString())));
            }
        }
        return steps;
    }

    /** "1.2" from "./jbang grade --exercise 1.2". */
    static String exerciseOf(String command) {
        String[] words = command.trim().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) if (words[i].equals("--exercise")) return words[i + 1];
        return "";
    }

    /**
     * The students' repository ({@link Template}), plus the caches a runner's setup step would have
     * made (.bootstrap/ for JBang, .course/ for the job module), to spare a download and a build.
     */
    static void copyRepository(Path root, Path copy) throws IOException, InterruptedException {
        Template.write(root, copy);
        for (String cache : List.of(".bootstrap", ".course")) {
            Path from = root.resolve(cache);
            if (!Files.isDirectory(from)) continue;
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : files.toList()) {
                    Path target = copy.resolve(root.relativize(file).toString());
                    if (Files.isDirectory(file)) Files.createDirectories(target);
                    else Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        if (Files.exists(copy.resolve("solutions"))) throw new IOException("the template holds solutions/");
    }

    /** Puts every file of {@code from} over lessons/; returns the lessons it replaced, to restore. */
    static Map<String, byte[]> replaceLessons(Path copy, Path from) throws IOException {
        Map<String, byte[]> replaced = new TreeMap<>();
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path lesson = copy.resolve("lessons").resolve(file.getFileName().toString());
                if (Files.isRegularFile(lesson)) replaced.put(file.getFileName().toString(), Files.readAllBytes(lesson));
                Files.copy(file, lesson, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return replaced;
    }
}
