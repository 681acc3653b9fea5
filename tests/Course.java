///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//DEPS org.junit:junit-bom:5.14.4@pom
//DEPS org.junit.jupiter:junit-jupiter
//DEPS org.junit.platform:junit-platform-launcher
//DEPS org.junit.platform:junit-platform-reporting
//DEPS org.assertj:assertj-core:3.27.7
//DEPS org.awaitility:awaitility:4.3.0
//DEPS org.jetbrains.lincheck:lincheck:3.7
//DEPS info.picocli:picocli:4.7.7
//DEPS com.google.code.gson:gson:2.13.1
//DEPS org.yaml:snakeyaml:2.5
//SOURCES course/Manifest.java course/Events.java course/Sources.java course/LessonJob.java
//SOURCES course/Runner.java course/Processes.java course/LessonRun.java course/Check.java
//SOURCES course/Verify.java course/Consistency.java course/Hint.java course/Grade.java course/Fixtures.java
//SOURCES course/Watch.java course/Samples.java
//JAVA_OPTIONS -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED

// The course tool: check, hint, verify (and grade, watch). Run through the aliases in
// jbang-catalog.json: ./jbang check 01, ./jbang hint 1.1, ./jbang verify.

import course.Check;
import course.Grade;
import course.Manifest;
import course.Verify;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "course", mixinStandardHelpOptions = true, description = "The course's own commands.",
        subcommands = {Course.CheckCommand.class, Course.HintCommand.class, Course.VerifyCommand.class,
                Course.GradeCommand.class, Course.WatchCommand.class})
class Course {

    static void main(String[] args) {
        int code = new CommandLine(new Course()).setExitCodeExceptionMapper(error -> 2).execute(args);
        System.exit(code);
    }

    static List<Manifest.Lesson> select(Manifest manifest, List<String> ids) {
        if (ids == null || ids.isEmpty()) return manifest.lessons();
        List<Manifest.Lesson> lessons = new ArrayList<>();
        for (String id : ids) {
            lessons.add(manifest.lesson(id).orElseThrow(() -> new CommandLine.ParameterException(new CommandLine(new Course()),
                    "no lesson " + id + "; the lessons are " + String.join(" ", manifest.lessons().stream().map(Manifest.Lesson::id).toList()))));
        }
        return lessons;
    }

    @Command(name = "check", description = "Test your answers in lessons/ and show what is done and what is next.")
    static class CheckCommand implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "NN", description = "lessons to check (default: all)")
        List<String> lessons;

        @Override
        public Integer call() throws Exception {
            Path root = Manifest.findRoot();
            Manifest manifest = Manifest.load(root);
            return Check.run(root, manifest, select(manifest, lessons), root.resolve("lessons"));
        }
    }

    @Command(name = "hint", description = "Show the next hint for an exercise, e.g. hint 1.2.")
    static class HintCommand implements Callable<Integer> {
        @Parameters(paramLabel = "EXERCISE", description = "the exercise, e.g. 1.2")
        String exercise;

        @Option(names = "--all", description = "show every hint at once")
        boolean all;

        @Option(names = "--reset", description = "start again from the first hint")
        boolean reset;

        @Override
        public Integer call() throws Exception {
            Path root = Manifest.findRoot();
            return course.Hint.show(root, Manifest.load(root), exercise, all, reset);
        }
    }

    @Command(name = "verify", description = "The project's own suite: solutions pass, shipped exercises fail, "
            + "known-wrong answers are rejected, lessons run, files agree.")
    static class VerifyCommand implements Callable<Integer> {
        @Option(names = "--lesson", paramLabel = "NN", description = "only these lessons (repeatable)")
        List<String> lessons;

        @Option(names = "--repeat", defaultValue = "1", description = "run each known-wrong answer this many times")
        int repeat;

        @Option(names = "--jobs", defaultValue = "2", description = "lessons tested at once")
        int jobs;

        @Option(names = "--no-fixtures", negatable = true, defaultValue = "true",
                description = "grade the broken and hostile submissions of tests/fixtures (default: yes)")
        boolean fixtures;

        @Override
        public Integer call() throws Exception {
            Path root = Manifest.findRoot();
            Manifest manifest = Manifest.load(root);
            return Verify.run(root, manifest, select(manifest, lessons), repeat, jobs, fixtures);
        }
    }

    @Command(name = "grade", description = "Grade a submission (or a class of them): each lesson in its own JVM, "
            + "with a time limit, on a copy. Exit code 0: every graded exercise passes; 1: some do not; 2: usage error.")
    static class GradeCommand implements Callable<Integer> {
        @CommandLine.ArgGroup(exclusive = true)
        Source source;

        static class Source {
            @Option(names = "--submission", paramLabel = "DIR",
                    description = "a folder of lesson files, or a clone of the course (its lessons/ is used); default: this repo's lessons/")
            Path submission;

            @Option(names = "--class", paramLabel = "DIR", description = "a folder with one submission folder per student")
            Path classDir;
        }

        @Option(names = "--lesson", paramLabel = "NN", description = "grade only these lessons (repeatable)")
        List<String> lessons;

        @Option(names = "--json", paramLabel = "FILE", description = "write the results as JSON")
        Path json;

        @Option(names = "--junit-xml", paramLabel = "DIR", description = "write JUnit XML reports into DIR/NN/")
        Path junitXml;

        @Option(names = "--jobs", defaultValue = "2", description = "lessons graded at once")
        int jobs;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Path root = Manifest.findRoot();
            Manifest manifest = Manifest.load(root);
            List<Manifest.Lesson> selected = select(manifest, lessons);
            Check.Console out = new Check.Console();
            if (source != null && source.classDir != null) return gradeClass(root, selected, out);
            Path dir = source == null || source.submission == null ? root.resolve("lessons") : source.submission;
            if (!java.nio.file.Files.isDirectory(dir)) throw new CommandLine.ParameterException(spec.commandLine(), "no folder " + dir);
            List<Grade.LessonGrade> grades = Grade.grade(root, selected, Grade.lessonsFolder(dir), junitXml, jobs);
            Grade.printTable(grades, out);
            if (json != null) Grade.writeJson(json, Grade.document(grades));
            return allPass(grades) ? 0 : 1;
        }

        int gradeClass(Path root, List<Manifest.Lesson> selected, Check.Console out) throws Exception {
            if (!java.nio.file.Files.isDirectory(source.classDir)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no folder " + source.classDir);
            }
            List<Path> students;
            try (var list = java.nio.file.Files.list(source.classDir)) {
                students = list.filter(java.nio.file.Files::isDirectory).sorted().toList();
            }
            java.util.Map<String, Object> all = new java.util.LinkedHashMap<>();
            boolean everyonePasses = true;
            for (Path student : students) {
                String name = student.getFileName().toString();
                out.heading(name);
                List<Grade.LessonGrade> grades = Grade.grade(root, selected, Grade.lessonsFolder(student),
                        junitXml == null ? null : junitXml.resolve(name), jobs);
                Grade.printTable(grades, out);
                all.put(name, Grade.document(grades));
                everyonePasses &= allPass(grades);
            }
            out.heading("Class summary");
            all.forEach((name, document) -> {
                var summary = (java.util.Map<?, ?>) ((java.util.Map<?, ?>) document).get("summary");
                out.line(String.format("  %-24s %s/%s points", name, summary.get("points"), summary.get("maxPoints")));
            });
            if (json != null) Grade.writeJson(json, java.util.Map.of("students", all));
            return everyonePasses ? 0 : 1;
        }

        static boolean allPass(List<Grade.LessonGrade> grades) {
            return grades.stream().allMatch(grade -> grade.status().equals("pass"));
        }
    }

    @Command(name = "watch", description = "Check a lesson again each time you save it (or press Enter, with --manual).")
    static class WatchCommand implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "NN", description = "lessons to watch (default: all)")
        List<String> lessons;

        @Option(names = "--manual", description = "check when Enter is pressed, for file systems where watching fails")
        boolean manual;

        @Override
        public Integer call() throws Exception {
            Path root = Manifest.findRoot();
            Manifest manifest = Manifest.load(root);
            return course.Watch.run(root, manifest, select(manifest, lessons), manual);
        }
    }
}
