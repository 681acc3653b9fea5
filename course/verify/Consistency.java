package course.verify;

import course.engine.Sources;
import course.engine.TestPlan;
import course.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Part (e) of verify: each lesson's files agree with the manifest. The lesson and its solution are
 * JBang scripts for Java 25 with a stub for every exercise; every exercise has tests tagged with
 * it and two known-wrong answers at least; every test has a tag and a display name.
 */
public final class Consistency {

    private Consistency() {}

    /** JBang's own subcommands: an alias with one of these names would never run. */
    static final Set<String> JBANG_COMMANDS = Set.of("run", "build", "init", "edit", "cache", "jdk", "alias", "catalog",
            "template", "app", "export", "info", "version", "wrapper", "config", "trust", "completion", "deps", "help");

    public static void check(Path root, Manifest.Lesson lesson, Recorder out) throws IOException {
        List<String> problems = new ArrayList<>();
        Path lessonFile = root.resolve("lessons").resolve(lesson.fileName());
        for (Path file : List.of(lessonFile, root.resolve("solutions").resolve(lesson.fileName()))) {
            if (!Files.isRegularFile(file)) {
                problems.add("missing " + root.relativize(file));
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            String name = root.relativize(file).toString();
            if (lines.isEmpty() || !lines.get(0).startsWith("///usr/bin/env jbang")) problems.add(name
                    + ": the first line is not JBang's");
            if (lines.stream().noneMatch(line -> line.startsWith("//JAVA 25"))) problems.add(name + ": no //JAVA 25+ line");
            String main = lines.stream().filter(l -> l.startsWith("//MAIN ")).findFirst()
                    .map(l -> l.substring(7).strip()).orElse(null);
            String mainClass = Sources.mainClass(String.join("\n", lines));
            if (!mainClass.equals(main)) problems.add(name + ": no //MAIN " + mainClass
                    + " line (IDEs need it to find the class)");
        }
        String lessonText = Files.isRegularFile(lessonFile) ? Files.readString(lessonFile) : "";
        Path testDir = root.resolve("tests").resolve(lesson.folder());
        List<TestPlan.TestCase> plan = TestPlan.read(testDir);
        if (plan.isEmpty()) problems.add("no @Test in tests/" + lesson.folder() + "/*Test.java");
        Set<String> ids = new TreeSet<>();
        for (TestPlan.TestCase test : plan) {
            if (test.exercise() == null) problems.add(test.key() + ": no @Tag(\"N.M\")");
            if (test.displayName().endsWith("()")) problems.add(test.key() + ": no @DisplayName");
        }
        List<Path> wrongs = Sources.javaFiles(testDir.resolve("wrong"));
        for (Manifest.Exercise exercise : lesson.exercises()) {
            ids.add(exercise.id());
            if (plan.stream().noneMatch(t -> exercise.id().equals(t.exercise()))) problems.add(exercise.id()
                    + ": no test is tagged with it");
            if (!lessonText.contains("\"exercise " + exercise.id() + " is not done yet")) {
                problems.add(exercise.id() + ": the lesson has no stub that throws \"exercise " + exercise.id()
                        + " is not done yet\"");
            }
            long count = wrongs.stream().filter(f -> LessonTests.exerciseOf(f).equals(exercise.id())).count();
            if (count < 2) problems.add(exercise.id() + ": " + count + " known-wrong answers in tests/" + lesson.folder()
                    + "/wrong (two at least)");
        }
        for (TestPlan.TestCase test : plan) {
            if (test.exercise() != null && !ids.contains(test.exercise())) problems.add(test.key() + " is tagged "
                    + test.exercise() + ", no exercise of this lesson");
        }
        for (Path wrong : wrongs) {
            if (!ids.contains(LessonTests.exerciseOf(wrong))) problems.add("wrong/" + wrong.getFileName()
                    + " names no exercise of this lesson");
        }
        if (JBANG_COMMANDS.contains(lesson.alias())) problems.add("alias '" + lesson.alias()
                + "' is hidden by JBang's own subcommand");
        out.record(problems.isEmpty(), lesson.id() + " files, tests, stubs, hints and wrong answers agree with course.yaml ("
                + lesson.exercises().size() + " exercises, " + plan.size() + " tests, " + wrongs.size() + " known-wrong answers, "
                + lesson.points() + " points)", String.join("\n", problems));
    }
}
