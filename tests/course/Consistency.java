package course;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Part (e) of verify: the manifest, the catalog, the README and the files agree. */
final class Consistency {

    private Consistency() {}

    /** JBang's own subcommands: an alias with one of these names would never run. */
    static final Set<String> JBANG_COMMANDS = Set.of("run", "build", "init", "edit", "cache", "jdk", "alias", "catalog",
            "template", "app", "export", "info", "version", "wrapper", "config", "trust", "completion", "deps", "help");

    /** The course tool's commands, each an alias of tests/Course.java. */
    static final List<String> TOOL_ALIASES = List.of("check", "hint", "verify", "grade", "watch");

    static final Pattern TAG = Pattern.compile("@Tag\\(\"([^\"]+)\"\\)");

    static void check(Path root, Manifest manifest, List<Manifest.Lesson> lessons, Verify.Recorder out) throws IOException {
        JsonObject aliases = JsonParser.parseString(Files.readString(root.resolve("jbang-catalog.json")))
                .getAsJsonObject().getAsJsonObject("aliases");
        List<String> catalogProblems = new ArrayList<>();
        Set<String> lessonAliases = new TreeSet<>();
        for (Manifest.Lesson lesson : manifest.lessons()) lessonAliases.add(lesson.alias());
        Set<String> selectedAliases = new TreeSet<>();
        for (Manifest.Lesson lesson : lessons) selectedAliases.add(lesson.alias());
        for (String name : aliases.keySet()) {
            boolean toolAlias = TOOL_ALIASES.contains(name);
            boolean allLessons = lessons.size() == manifest.lessons().size();
            if (!toolAlias && !lessonAliases.contains(name) && allLessons) {
                catalogProblems.add("alias '" + name + "' is neither a course command nor a lesson of tests/course.json");
                continue;
            }
            if (!toolAlias && !selectedAliases.contains(name)) continue; // another lesson's: not checked now
            String ref = aliases.getAsJsonObject(name).get("script-ref").getAsString();
            if (!name.matches("^[a-zA-Z][-\\w]*$")) catalogProblems.add("alias '" + name + "' is not a valid JBang alias name");
            if (JBANG_COMMANDS.contains(name)) catalogProblems.add("alias '" + name + "' is hidden by JBang's own subcommand");
            if (!Files.isRegularFile(root.resolve(ref))) catalogProblems.add("alias '" + name + "' points to missing " + ref);
        }
        for (String command : TOOL_ALIASES) {
            if (!aliases.has(command)) catalogProblems.add("no alias '" + command + "'");
        }
        out.record(catalogProblems.isEmpty(), "jbang-catalog.json: the course's commands and the lessons' aliases name existing files",
                String.join("\n", catalogProblems));

        if (lessons.size() == manifest.lessons().size()) classroom(root, manifest, out);

        String readme = Files.readString(root.resolve("README.md"));
        Set<String> manifestFiles = new TreeSet<>();
        for (Manifest.Lesson lesson : manifest.lessons()) manifestFiles.add(lesson.fileName());
        List<String> strays = new ArrayList<>();
        for (String folder : List.of("lessons", "solutions")) {
            for (Path file : Sources.javaFiles(root.resolve(folder))) {
                if (!manifestFiles.contains(file.getFileName().toString())) strays.add(folder + "/" + file.getFileName() + " is not in tests/course.json");
            }
        }
        out.record(strays.isEmpty(), "every file in lessons/ and solutions/ is in the manifest", String.join("\n", strays));

        for (Manifest.Lesson lesson : lessons) {
            List<String> problems = new ArrayList<>();
            Path lessonFile = root.resolve("lessons").resolve(lesson.fileName());
            Path solutionFile = root.resolve("solutions").resolve(lesson.fileName());
            Path testDir = root.resolve("tests").resolve(lesson.folder());
            for (Path file : List.of(lessonFile, solutionFile)) {
                if (!Files.isRegularFile(file)) {
                    problems.add("missing " + root.relativize(file));
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                if (lines.isEmpty() || !lines.get(0).startsWith("///usr/bin/env jbang")) problems.add(root.relativize(file) + ": the first line is not the JBang shebang");
                if (lines.stream().noneMatch(line -> line.startsWith("//JAVA 25"))) problems.add(root.relativize(file) + ": no //JAVA 25+ line");
                if (lines.stream().anyMatch(line -> line.startsWith("//DEPS"))) problems.add(root.relativize(file) + ": lessons use the JDK only (no //DEPS)");
            }
            String lessonText = Files.isRegularFile(lessonFile) ? Files.readString(lessonFile) : "";
            Set<String> tagged = new TreeSet<>();
            List<Path> tests = Sources.javaFiles(testDir).stream().filter(file -> file.toString().endsWith("Test.java")).toList();
            if (tests.isEmpty()) problems.add("no *Test.java in tests/" + lesson.folder());
            for (Path test : tests) {
                Matcher matcher = TAG.matcher(Files.readString(test));
                while (matcher.find()) tagged.add(matcher.group(1));
            }
            Set<String> ids = new TreeSet<>();
            for (Manifest.Exercise exercise : lesson.exercises()) {
                ids.add(exercise.id());
                if (!exercise.id().startsWith(Integer.parseInt(lesson.id()) + ".")) problems.add(exercise.id() + ": an exercise id starts with its lesson's number");
                if (exercise.hints() == null || exercise.hints().size() < 2) problems.add(exercise.id() + ": fewer than two hints");
                if (exercise.points() <= 0) problems.add(exercise.id() + ": no points");
                if (!tagged.contains(exercise.id())) problems.add(exercise.id() + ": no test is tagged @Tag(\"" + exercise.id() + "\")");
                if (!lessonText.contains("\"exercise " + exercise.id() + " is not done yet")) {
                    problems.add(exercise.id() + ": the lesson has no stub that throws \"exercise " + exercise.id() + " is not done yet\"");
                }
                long wrongs = Sources.javaFiles(testDir.resolve("wrong")).stream()
                        .filter(file -> file.getFileName().toString().startsWith(exercise.id() + "-")).count();
                if (wrongs < 2) problems.add(exercise.id() + ": " + wrongs + " known-wrong answers in tests/" + lesson.folder() + "/wrong (two at least)");
            }
            for (String tag : tagged) if (!ids.contains(tag)) problems.add("a test is tagged " + tag + ", which is no exercise of this lesson");
            for (Path wrong : Sources.javaFiles(testDir.resolve("wrong"))) {
                String prefix = wrong.getFileName().toString().split("-", 2)[0];
                if (!ids.contains(prefix)) problems.add("wrong/" + wrong.getFileName() + " names no exercise of this lesson");
            }
            if (lesson.alias() == null || !aliases.has(lesson.alias())) {
                problems.add("no catalog alias '" + lesson.alias() + "'");
            } else if (!aliases.getAsJsonObject(lesson.alias()).get("script-ref").getAsString().equals("lessons/" + lesson.fileName())) {
                problems.add("alias '" + lesson.alias() + "' does not point to lessons/" + lesson.fileName());
            }
            if (!readme.contains("lessons/" + lesson.fileName())) problems.add("README.md does not list lessons/" + lesson.fileName());
            out.record(problems.isEmpty(), lesson.id() + " files, tests, hints, wrong answers, alias and README agree ("
                    + lesson.exercises().size() + " exercises, " + lesson.points() + " points)", String.join("\n", problems));
        }
    }

    /** The GitHub Classroom workflow parses, and grades exactly the manifest's lessons for their points. */
    @SuppressWarnings("unchecked")
    static void classroom(Path root, Manifest manifest, Verify.Recorder out) throws IOException {
        Path file = root.resolve(".github/workflows/classroom.yml");
        List<String> problems = new ArrayList<>();
        Map<String, Object> workflow;
        try {
            workflow = new org.yaml.snakeyaml.Yaml().load(Files.readString(file));
        } catch (RuntimeException | IOException e) {
            out.record(false, ".github/workflows/classroom.yml parses", e.getMessage());
            return;
        }
        Map<String, Integer> graded = new java.util.TreeMap<>();
        List<String> stepIds = new ArrayList<>();
        String runners = null;
        for (Object job : ((Map<String, Object>) workflow.get("jobs")).values()) {
            for (Map<String, Object> step : (List<Map<String, Object>>) ((Map<String, Object>) job).get("steps")) {
                String uses = String.valueOf(step.get("uses"));
                Map<String, Object> with = (Map<String, Object>) step.getOrDefault("with", Map.of());
                if (uses.startsWith("classroom-resources/autograding-command-grader@")) {
                    Matcher lesson = Pattern.compile("^\\./jbang grade --lesson (\\d+)$").matcher(String.valueOf(with.get("command")));
                    if (!lesson.matches()) {
                        problems.add("step " + step.get("id") + ": command is not './jbang grade --lesson NN'");
                        continue;
                    }
                    graded.put(lesson.group(1), Integer.parseInt(String.valueOf(with.get("max-score"))));
                    stepIds.add(String.valueOf(step.get("id")));
                }
                if (uses.startsWith("classroom-resources/autograding-grading-reporter@")) runners = String.valueOf(with.get("runners"));
            }
        }
        Map<String, Integer> expected = new java.util.TreeMap<>();
        for (Manifest.Lesson lesson : manifest.lessons()) expected.put(lesson.id(), lesson.points());
        if (!graded.equals(expected)) problems.add("lessons and max-scores " + graded + ", the manifest says " + expected);
        if (runners == null || !List.of(runners.split(",")).equals(stepIds)) {
            problems.add("the reporter's runners (" + runners + ") are not the grading steps " + stepIds);
        }
        out.record(problems.isEmpty(), ".github/workflows/classroom.yml parses and grades exactly the manifest's "
                + expected.size() + " lessons, each for its points", String.join("\n", problems));
    }
}
