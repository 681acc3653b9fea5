package course.verify;

import com.google.gson.GsonBuilder;
import course.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files made from the manifest, so that nobody keeps a copy by hand: the catalog's aliases,
 * the README's lesson table (between its two markers) and the GitHub Classroom workflow.
 * {@code ./jbang generate} writes them; verify checks that what is committed equals what it would write.
 */
public final class Generated {

    private Generated() {}

    public static final String TABLE_BEGIN = "<!-- lessons: generated from course.yaml by ./jbang generate -->";
    public static final String TABLE_END = "<!-- end of lessons -->";

    /** The course tool's commands: alias, and what it does. */
    public static final Map<String, String> COMMANDS = commands();

    private static Map<String, String> commands() {
        Map<String, String> commands = new LinkedHashMap<>();
        commands.put("check", "Test your answers: ./jbang check [NN ...]");
        commands.put("hint", "The next hint for an exercise: ./jbang hint 1.2");
        commands.put("watch", "Check a lesson each time you save it: ./jbang watch 03 (--manual: on Enter)");
        commands.put("grade",
                "Grade a submission or a class: ./jbang grade --submission DIR | --class DIR [--json FILE] [--junit-xml DIR]");
        commands.put("verify", "The project's own suite (maintainers)");
        commands.put("bench", "Measure check, hint and a lesson's start against their floor (maintainers)");
        commands.put("student-template",
                "Build the repository a class gets, without the answers: ./jbang student-template --out DIR");
        commands.put("generate", "Rewrite the files made from course.yaml (maintainers)");
        return commands;
    }

    /** Each generated file: its path and what it should hold. */
    public static Map<String, String> files(Path root, Manifest manifest) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("jbang-catalog.json", catalog(manifest));
        files.put("README.md", readme(Files.readString(root.resolve("README.md")), manifest));
        files.put(".github/workflows/classroom.yml", classroom(manifest));
        return files;
    }

    static String catalog(Manifest manifest) {
        Map<String, Object> aliases = new LinkedHashMap<>();
        COMMANDS.forEach((name, description) -> {
            // A LinkedHashMap: Map.of's order changes from one JVM run to the next, and so would the file.
            Map<String, Object> alias = new LinkedHashMap<>();
            alias.put("script-ref", "course/Course.java");
            alias.put("description", description);
            alias.put("arguments", List.of(name));
            aliases.put(name, alias);
        });
        for (Manifest.Lesson lesson : manifest.lessons()) {
            Map<String, Object> alias = new LinkedHashMap<>();
            alias.put("script-ref", "lessons/" + lesson.fileName());
            alias.put("description", "Lesson " + lesson.id() + ": " + lesson.title());
            aliases.put(lesson.alias(), alias);
        }
        Map<String, Object> catalog = new LinkedHashMap<>();
        catalog.put("catalogs", Map.of());
        catalog.put("aliases", aliases);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(catalog) + "\n";
    }

    static String readme(String readme, Manifest manifest) {
        int begin = readme.indexOf(TABLE_BEGIN);
        int end = readme.indexOf(TABLE_END);
        if (begin < 0 || end < begin) return readme; // the consistency check reports the missing markers
        StringBuilder table = new StringBuilder(TABLE_BEGIN).append("\n\n");
        table.append("| # | lesson | the question it answers | run it | alias |\n|---|---|---|---|---|\n");
        for (Manifest.Lesson lesson : manifest.lessons()) {
            table.append(String.format("| %s | %s | %s | `./jbang lessons/%s` | `%s` |%n", lesson.id(), lesson.slug(),
                    lesson.question(), lesson.fileName(), lesson.alias()));
        }
        table.append('\n');
        return readme.substring(0, begin) + table + readme.substring(end);
    }

    static String classroom(Manifest manifest) {
        List<String> lines = new ArrayList<>(List.of(
                "# Generated from course.yaml by ./jbang generate: edit that, not this.",
                "# GitHub Classroom autograding: each exercise is a scored step; the reporter adds them up.",
                "# This workflow runs in the student's repository, which the student can edit: it is",
                "# feedback, not a trusted grade (see the README's 'For instructors').",
                "name: Autograding Tests",
                "on:",
                "  push:",
                "  workflow_dispatch:",
                "  repository_dispatch:",
                "permissions:",
                "  checks: write",
                "  actions: read",
                "  contents: read",
                "jobs:",
                "  run-autograding-tests:",
                "    runs-on: ubuntu-latest",
                "    if: github.actor != 'github-classroom[bot]'",
                "    steps:",
                "      - name: Check out the submission",
                "        uses: actions/checkout@v4",
                "      - name: Set up JDK 25",
                "        uses: actions/setup-java@v4",
                "        with:",
                "          distribution: temurin",
                "          java-version: \"25\"",
                "      - name: Set up JBang and the course tool (once, before the timed steps)",
                "        run: ./jbang grade --help"));
        List<String> ids = new ArrayList<>();
        for (Manifest.Lesson lesson : manifest.lessons()) {
            for (Manifest.Exercise exercise : lesson.exercises()) {
                String id = "exercise-" + exercise.id().replace('.', '-');
                String name = "Exercise " + exercise.id() + " (" + lesson.slug() + ")";
                ids.add(id);
                lines.addAll(List.of(
                        "      - name: " + name,
                        "        id: " + id,
                        "        uses: classroom-resources/autograding-command-grader@v1",
                        "        with:",
                        "          test-name: " + name,
                        "          command: ./jbang grade --exercise " + exercise.id(),
                        "          timeout: " + timeoutMinutes(lesson),
                        "          max-score: " + exercise.points()));
            }
        }
        lines.addAll(List.of("      - name: Autograding reporter",
                "        uses: classroom-resources/autograding-grading-reporter@v1",
                "        env:"));
        for (String id : ids) lines.add("          " + id.toUpperCase() + "_RESULTS: \"${{steps." + id + ".outputs.result}}\"");
        lines.addAll(List.of("        with:", "          runners: " + String.join(",", ids)));
        return String.join("\n", lines) + "\n";
    }

    /**
     * A step's limit in minutes (the action's unit): twice the lesson's and 2 minutes more. A step
     * may run the lesson's file whole (kept for the next steps) and, when the time limit cut the
     * step's own exercise short there, that exercise again alone; plus a slow runner's first compile.
     */
    static int timeoutMinutes(Manifest.Lesson lesson) {
        return Math.max(10, (lesson.harness().gradeSeconds() * 2 + 120 + 59) / 60);
    }

    /** verify: each generated file as committed equals what generate would write. */
    public static void check(Path root, Manifest manifest, Recorder out) throws IOException {
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> file : files(root, manifest).entrySet()) {
            Path path = root.resolve(file.getKey());
            if (!Files.isRegularFile(path) || !Files.readString(path).equals(file.getValue())) stale.add(file.getKey());
        }
        for (String command : COMMANDS.keySet()) {
            if (Consistency.JBANG_COMMANDS.contains(command)) stale.add("the command '" + command + "' is hidden by JBang's own");
        }
        String readme = Files.readString(root.resolve("README.md"));
        if (!readme.contains(TABLE_BEGIN) || !readme.contains(TABLE_END)) stale.add("README.md has no lesson table markers");
        out.record(stale.isEmpty(),
                "the catalog, the README's lesson table and the Classroom workflow are what course.yaml makes",
                stale.isEmpty() ? null : "stale: " + String.join(", ", stale) + " (run ./jbang generate)");
    }
}
