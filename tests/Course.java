///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//DEPS org.junit:junit-bom:5.14.4@pom
//DEPS org.junit.jupiter:junit-jupiter
//DEPS org.junit.platform:junit-platform-launcher
//DEPS org.junit.platform:junit-platform-reporting
//DEPS org.assertj:assertj-core:3.27.7
//DEPS org.awaitility:awaitility:4.3.0
//DEPS info.picocli:picocli:4.7.7
//DEPS com.google.code.gson:gson:2.13.1
//SOURCES course/Manifest.java course/Events.java course/Sources.java course/LessonJob.java
//SOURCES course/Runner.java course/Processes.java course/LessonRun.java course/Check.java
//SOURCES course/Verify.java course/Consistency.java course/Hint.java
//JAVA_OPTIONS -XX:+UseSerialGC -XX:TieredStopAtLevel=1

// The course tool: check, hint, verify (and grade, watch). Run through the aliases in
// jbang-catalog.json: ./jbang check 01, ./jbang hint 1.1, ./jbang verify.

import course.Check;
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
        subcommands = {Course.CheckCommand.class, Course.HintCommand.class, Course.VerifyCommand.class})
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

        @Override
        public Integer call() throws Exception {
            Path root = Manifest.findRoot();
            Manifest manifest = Manifest.load(root);
            return Verify.run(root, manifest, select(manifest, lessons), repeat, jobs);
        }
    }
}
