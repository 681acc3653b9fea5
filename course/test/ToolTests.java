///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//SOURCES ../Course.java
//JAVA_OPTIONS -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED

// The course tool's own tests: the verdict rules, the report writers against golden files, the
// manifest's error messages, the exit codes and the cleaning of untrusted text. Prints TAP for
// verify (one line per test, indented detail under a failure) and exits 1 if any failed.
// Run from the course's root: ./jbang course/test/ToolTests.java
// After a deliberate change to a report's format: ./jbang course/test/ToolTests.java --update-golden

import course.cli.CheckServer;
import course.cli.Cli;
import course.engine.ChildJvm;
import course.engine.Engine;
import course.engine.JobModule;
import course.engine.Processes;
import course.engine.Results;
import course.engine.RunCache;
import course.engine.Sandbox;
import course.engine.Standby;
import course.engine.Results.TestResult;
import course.engine.TestPlan.TestCase;
import course.engine.Text;
import course.judge.Grades;
import course.judge.Grades.LessonGrade;
import course.manifest.Manifest;
import course.protocol.Event;
import course.protocol.Status;
import course.report.Console;
import course.report.ExercismJson;
import course.report.GradeTable;
import course.report.JunitXml;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

class ToolTests {

    static final Path GOLDEN = Path.of("course", "test", "golden");
    static boolean update;
    static int number;
    static int failed;

    interface Body {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--interrupted-child")) {
            interruptedChild();
            return;
        }
        update = List.of(args).contains("--update-golden");
        verdicts();
        reports();
        manifest();
        exitCodes();
        untrustedText();
        orphans();
        interrupted();
        runCache();
        checkServer();
        System.out.println("1.." + number);
        System.exit(failed == 0 ? 0 : 1);
    }

    // ---- the verdict rules (judge/Grades) ---------------------------------------------------

    static final Manifest.Lesson LESSON = manifestLesson();

    static void verdicts() {
        passingAndFailing();
        lessonWide();
    }

    static void passingAndFailing() {
        test("an exercise passes when every one of its tests passes, and earns its points", () -> {
            var grade = grade(result("a1", Status.PASS, null), result("a2", Status.PASS, null));
            expect(grade.exercises().get(0).status(), Status.PASS);
            expect(grade.exercises().get(0).points(), 10);
        });
        test("an exercise whose failing tests all met the stub is 'not done', 0 points", () -> {
            var grade = grade(result("a1", Status.NOT_DONE, "exercise 9.1 is not done yet"),
                    result("a2", Status.NOT_DONE, "exercise 9.1 is not done yet"));
            expect(grade.exercises().get(0).status(), Status.NOT_DONE);
            expect(grade.exercises().get(0).points(), 0);
        });
        test("one real failure beside the stub makes the exercise 'fail', named by its test", () -> {
            var grade = grade(result("a1", Status.NOT_DONE, "not done"), result("a2", Status.FAIL, "expected 3 but was 2"));
            expect(grade.exercises().get(0).status(), Status.FAIL);
            expect(grade.exercises().get(0).message(), "test a2:\nexpected 3 but was 2");
        });
        test("a crash among the failures makes the exercise 'error'", () -> {
            var grade = grade(result("a1", Status.FAIL, "wrong"), result("a2", Status.ERROR, "timed out"));
            expect(grade.exercises().get(0).status(), Status.ERROR);
        });
    }

    static void lessonWide() {
        test("a test that never reported is an error that says why it did not run", () -> {
            Results.Variant variant = Results.Variant.of("lesson", plan(), List.of(), List.of(result("a1", Status.PASS, null)),
                    "the JVM ended (exit code 137)\nmore detail", null);
            var grade = Grades.lesson(LESSON, job(variant, false), "lesson");
            expect(grade.tests().get(1).status(), Status.ERROR);
            expect(grade.tests().get(1).message(), "not run: the JVM ended (exit code 137)");
            expect(grade.exercises().get(0).status(), Status.ERROR);
        });
        test("a lesson out of time keeps the points its finished exercises earned", () -> {
            Results.Variant variant = Results.Variant.of("lesson", plan(), List.of(),
                    List.of(result("a1", Status.PASS, null), result("a2", Status.PASS, null)), "time ran out", null);
            var grade = Grades.lesson(LESSON, job(variant, true), "lesson");
            expect(grade.status(), Status.ERROR);
            expect(grade.points(), 10);
            expect(grade.message().contains("time limit"), true);
        });
        test("results that were tampered with earn nothing, even for tests that 'passed'", () -> {
            Results.Variant variant = Results.Variant.of("lesson", plan(), List.of(),
                    List.of(result("a1", Status.PASS, null), result("a2", Status.PASS, null), result("b1", Status.PASS, null)),
                    null, "a line with a wrong secret");
            var grade = Grades.lesson(LESSON, job(variant, false), "lesson");
            expect(grade.status(), Status.ERROR);
            expect(grade.points(), 0);
            expect(grade.message().contains("tampered"), true);
            var json = ExercismJson.results(grade); // every report says it, not the lesson's line alone
            expect(json.status(), "error");
            expect(json.tests().stream().allMatch(t -> t.status().equals("error") && t.message().contains("tampered")), true);
        });
        test("a lesson that does not compile is an error that shows the compiler's message", () -> {
            Results.Variant variant = Results.Variant.of("lesson", plan(),
                    List.of(new Event.Diagnostic("lessons/09_tool.java", 12, "';' expected")), List.of(), null, null);
            var grade = Grades.lesson(LESSON, job(variant, false), "lesson");
            expect(grade.status(), Status.ERROR);
            expect(grade.message(), "does not compile:\nlessons/09_tool.java:12: ';' expected");
            expect(grade.tests().get(0).message(), "not run: the lesson does not compile");
        });
        test("a compile error in a test file says that the lesson's API is what is missing", () -> {
            Results.Variant variant = Results.Variant.of("lesson", plan(),
                    List.of(new Event.Diagnostic("tests/09_tool/ToolTest.java", 3, "cannot find symbol")), List.of(), null, null);
            var grade = Grades.lesson(LESSON, job(variant, false), "lesson");
            expect(grade.message().contains("an error in a test file"), true);
        });
    }

    // ---- the report writers, against golden files -------------------------------------------

    static void reports() {
        LessonGrade grade = mixedGrade();
        test("Exercism results.json (version 3) is as in golden/results.json", () ->
                golden("results.json", ExercismJson.GSON.toJson(ExercismJson.results(grade)) + "\n"));
        test("JUnit XML is as in golden/junit.xml", () -> golden("junit.xml", JunitXml.xml(grade)));
        test("grade's table is as in golden/table.txt", () -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            GradeTable.print(List.of(grade), new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8), false));
            golden("table.txt", bytes.toString(StandardCharsets.UTF_8));
        });
        test("the Exercism document follows the interface's rules (course/verify/ExercismRules)", () -> {
            for (LessonGrade graded : List.of(grade, mixedGradeWith(Status.ERROR), mixedGradeWith(Status.NOT_DONE))) {
                var json = com.google.gson.JsonParser.parseString(ExercismJson.GSON.toJson(ExercismJson.results(graded)));
                expect(course.verify.ExercismRules.violations(json.getAsJsonObject()), List.of());
            }
            var broken = com.google.gson.JsonParser.parseString("{\"version\": 3, \"status\": \"error\", \"tests\": "
                    + "[{\"name\": \"t\", \"status\": \"pass\", \"task_id\": \"1\"}]}").getAsJsonObject();
            expect(course.verify.ExercismRules.violations(broken).size(), 5);
        });
        test("a fixture's results.json is compared with its golden file field by field, numbers aside", () -> {
            var golden = com.google.gson.JsonParser.parseString("{\"status\": \"fail\", \"tests\": [{\"name\": \"1.1 a\", "
                    + "\"message\": \"lost 12 of 400 (at Threads$$Lambda/0x00af)\", \"output\": \"<any>\", \"task_id\": 1}]}");
            var same = com.google.gson.JsonParser.parseString("{\"status\": \"fail\", \"tests\": [{\"name\": \"1.1 a\", "
                    + "\"message\": \"lost 1,204 of 400 (at Threads$$Lambda/0x3c1f)\", \"output\": \"hi\", \"task_id\": 1}]}");
            expect(course.verify.Golden.differences(golden, same), List.of());
            var other = com.google.gson.JsonParser.parseString("{\"status\": \"pass\", \"tests\": [{\"name\": \"1.1 a\", "
                    + "\"message\": \"kept 12 of 400\", \"task_id\": 2, \"extra\": true}]}");
            expect(course.verify.Golden.differences(golden, other).size(), 5); // status, message, output, task_id, extra
        });
        test("a lesson's pasted samples match a run numbers aside, and every section printed has one", () -> {
            String source = "/* On x86_64, 2 cores, JDK 25 (--quick), this section printed:\n *\n *   == Lost updates ==\n"
                    + " *   lost 1,204 of 400,000 increments\n * ? the race struck\n */\n";
            String run = "\n== Lost updates ==\nlost 37 of 400,000 increments\nit did not strike\n";
            expect(course.verify.Samples.check(source, run), List.of());
            expect(course.verify.Samples.check(source, run.replace("lost 37", "kept 37")).size(), 1);
            expect(course.verify.Samples.check(source, run + "\n== Deadlock ==\nfound\n"),
                    List.of("no sample of the section == Deadlock == (paste a real run's output under it)"));
        });
        test("Exercism output is cut to 500 characters, the interface's own notice included", () -> {
            LessonGrade noisy = Grades.lesson(LESSON, job(Results.Variant.of("lesson", plan(), List.of(), List.of(
                    new TestResult(plan().get(0), Status.PASS, null, "x".repeat(2000), 5)), null, null), false), "lesson");
            String output = ExercismJson.results(noisy).tests().get(0).output();
            expect(output.length(), 500);
            expect(output.endsWith("x\n[Output was truncated. Please limit to 500 chars]"), true);
        });
        test("JUnit XML replaces characters XML 1.0 cannot hold", () -> {
            LessonGrade odd = Grades.lesson(LESSON, job(Results.Variant.of("lesson", plan(), List.of(), List.of(
                    new TestResult(plan().get(0), Status.FAIL, "bad \u0000 byte \u001B[2J", "", 5)), null, null), false),
                    "lesson");
            String xml = JunitXml.xml(odd);
            expect(xml.contains("\u0000") || xml.contains("\u001B"), false);
            expect(xml.contains("bad \uFFFD byte \uFFFD[2J"), true);
        });
    }

    // ---- the manifest's messages ------------------------------------------------------------

    static void manifest() {
        test("course.yaml parses: lessons in order, exercise ids unique", () -> {
            Manifest manifest = Manifest.load(Path.of("."));
            List<String> ids = manifest.lessons().stream().map(Manifest.Lesson::id).toList();
            expect(ids.equals(ids.stream().sorted().toList()), true);
            expect(manifest.exercises().size() > 0, true);
        });
        String good = yaml("'9.1'", "10", "['one', 'two']", "runSeconds: 30");
        test("a minimal manifest parses", () -> expect(Manifest.parse(good).lessons().get(0).exercises().size(), 1));
        invalid("another format is refused", good.replace("format: 2", "format: 1"),
                "course.yaml: format 1, this tool reads format 2");
        invalid("one hint is not enough", yaml("'9.1'", "10", "['one']", "runSeconds: 30"),
                "course.yaml.lessons[0].exercises[0].hints: two hints at least");
        invalid("an exercise id must start with its lesson's number", yaml("'8.1'", "10", "['one', 'two']", "runSeconds: 30"),
                "course.yaml.lessons[0].exercises[0].id: '8.1' is not like 9\\.\\d+");
        invalid("points must be positive", yaml("'9.1'", "0", "['one', 'two']", "runSeconds: 30"),
                "course.yaml.lessons[0].exercises[0].points: must be positive");
        invalid("a missing harness setting is named", yaml("'9.1'", "10", "['one', 'two']", "runArgs: []"),
                "course.yaml.harness.09: no 'runSeconds'");
        invalid("a bad regular expression in prints is named",
                good.replace("runSeconds: 30", "runSeconds: 30\n    prints: ['(']"),
                "course.yaml.harness.09.prints: Unclosed group in (");
        invalid("text that is not YAML is refused", "lessons: [", "course.yaml is not valid YAML");
    }

    static String yaml(String exerciseId, String points, String hints, String setting) {
        return """
                format: 2
                title: 'A course'
                lessons:
                  - id: '09'
                    slug: tool
                    title: 'Tool'
                    question: 'what the tool does'
                    alias: tool
                    exercises:
                      - id: %s
                        title: 'one'
                        points: %s
                        hints: %s
                harness:
                  '09':
                    %s
                    gradeSeconds: 60
                """.formatted(exerciseId, points, hints, setting);
    }

    static void invalid(String name, String text, String message) {
        test("manifest: " + name, () -> {
            try {
                Manifest.parse(text);
                throw new AssertionError("parsed, but should have been refused with: " + message);
            } catch (Manifest.Invalid e) {
                if (!e.getMessage().startsWith(message)) throw new AssertionError("message: " + e.getMessage()
                        + "\nexpected it to start with: " + message);
            }
        });
    }

    // ---- exit codes: 0 pass, 1 graded failure, 2 usage, 3 internal --------------------------

    static void exitCodes() {
        test("an unknown option is a usage error: exit code 2", () -> expect(quietly("check", "--no-such-option"), Cli.USAGE));
        test("an unknown lesson is a usage error: exit code 2", () -> expect(quietly("check", "42"), Cli.USAGE));
        test("an unknown exercise for hint is a usage error: exit code 2", () -> expect(quietly("hint", "9.9"), Cli.USAGE));
        test("--help succeeds: exit code 0", () -> expect(quietly("--help"), Cli.PASSED));
        test("every command answers --help and -h with exit code 0 (the Classroom setup step relies on it)", () -> {
            var commands = new picocli.CommandLine(new Cli()).getSubcommands().keySet();
            expect(commands.containsAll(List.of("check", "hint", "watch", "grade", "verify", "bench", "generate")), true);
            for (String command : commands) {
                for (String help : List.of("--help", "-h")) {
                    if (quietly(command, help) != Cli.PASSED) throw new AssertionError(command + " " + help + " did not exit 0");
                }
            }
        });
    }

    static int quietly(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        System.setOut(sink);
        System.setErr(sink);
        try {
            return Cli.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    // ---- whole runs kept for grade --exercise (engine/RunCache) --------------------------------

    static void runCache() {
        test("a kept whole run serves each exercise its own tests, only the same files in the same checkout find it,"
                + " and a run cut short serves only the exercises it settled", () -> {
            Path root = Files.createTempDirectory("tool-tests-cache-");
            try {
                Path tests = Files.createDirectories(root.resolve("tests").resolve(LESSON.folder()));
                Files.writeString(tests.resolve("ToolTest.java"), "class ToolTest {}");
                Files.createDirectories(root.resolve("tests/support"));
                Engine engine = new Engine(root, new ChildJvm(root.resolve("java"), List.of(), List.of()),
                        new JobModule(root.resolve("module-" + System.nanoTime()), root.resolve("job.aot")),
                        Sandbox.none("a test"), 1000, null, Standby.Slot.none());
                Results.Job whole = job(Results.Variant.of("submission", plan(), List.of(), List.of(
                        result("a1", Status.PASS, null), result("a2", Status.FAIL, "no"), result("b1", Status.PASS, null)),
                        null, null), false);
                expect(RunCache.store(engine, LESSON, "source", whole), true);
                Results.Job kept = RunCache.load(engine, LESSON, "source").orElseThrow();
                expect(kept.onlyExercise("9.1").variant("submission").tests().stream()
                        .map(t -> t.test().method() + "=" + t.status() + ":" + t.message()).toList(),
                        List.of("a1=PASS:null", "a2=FAIL:no"));
                expect(Grades.lesson(LESSON.withExercises(List.of(LESSON.exercises().get(1))), kept.onlyExercise("9.2"),
                        "submission").exercises().getFirst().status(), Status.PASS);
                expect(RunCache.load(engine, LESSON, "source, edited").isPresent(), false);
                Path copy = Files.createDirectories(root.resolve("copy"));
                Files.writeString(Files.createDirectories(copy.resolve("tests").resolve(LESSON.folder()))
                        .resolve("ToolTest.java"), "class ToolTest {}");
                Files.createDirectories(copy.resolve("tests/support"));
                expect(RunCache.load(new Engine(copy, engine.jvm(), engine.module(), engine.sandbox(), 1000, null,
                        Standby.Slot.none()), LESSON, "source").isPresent(), false); // another checkout, the same files
                Files.writeString(tests.resolve("ToolTest.java"), "class ToolTest { }");
                expect(RunCache.load(engine, LESSON, "source").isPresent(), false);
                Results.Job cut = job(Results.Variant.of("submission", plan(), List.of(), List.of(result("a1", Status.PASS,
                        null), result("a2", Status.ERROR, "the time limit ran out"), result("b1", Status.PASS, null)),
                        "the time limit ran out", null, "ToolTest#a2"), true);
                expect(RunCache.store(engine, LESSON, "timed out", cut), true);
                Results.Job keptCut = RunCache.load(engine, LESSON, "timed out").orElseThrow();
                expect(List.of(keptCut.settles("9.1"), keptCut.settles("9.2"), keptCut.onlyExercise("9.2").timedOut()),
                        List.of(false, true, false));
                Results.Job forged = job(Results.Variant.of("submission", plan(), List.of(), List.of(), null, "forged"), false);
                expect(List.of(RunCache.store(engine, LESSON, "forged", forged), forged.settles("9.2")), List.of(false, false));
            } finally {
                Processes.deleteTree(root);
            }
        });
    }

    // ---- check's server (cli/CheckServer) ---------------------------------------------------------

    static void checkServer() {
        serverName();
        serverAnswers();
        serverIdle();
    }

    static void serverName() {
        test("check's server is named by the checkout, the tool's files, the JDK and the sandbox", () -> {
            Path root = Path.of("").toAbsolutePath();
            Path socket = CheckServer.socket(root);
            if (socket == null) return; // no owner-only folder here: checks never use a server
            expect(CheckServer.socket(root.resolve("lessons")).equals(socket), false);
            String version = System.getProperty("java.vm.version");
            try {
                System.setProperty("java.vm.version", version + "-another");
                expect(CheckServer.socket(root).equals(socket), false);
            } finally {
                System.setProperty("java.vm.version", version);
            }
            expect(CheckServer.socket(root), socket);
        });
    }

    static void serverAnswers() {
        test("check's server answers as check does, sees an edited lesson at once, runs the job in its standby, "
                + "and a caller's Ctrl-C ends it with every process and file of it", () -> {
            if (!Sandbox.detect().available()) return; // the server runs only where the sandbox does
            Path root = courseCopy();
            Process server = null;
            try {
                server = startServer(root, "600");
                Path socket = CheckServer.socket(root);
                ByteArrayOutputStream shipped = new ByteArrayOutputStream();
                expect(CheckServer.ask(root, new CheckServer.Request(List.of("01"), 1, false, false),
                        new PrintStream(shipped, true, StandardCharsets.UTF_8)), 1);
                expect(shipped.toString(StandardCharsets.UTF_8).contains("to do    1.1"), true);
                Files.copy(Path.of("solutions/01_threads.java"), root.resolve("lessons/01_threads.java"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                ByteArrayOutputStream solved = new ByteArrayOutputStream();
                expect(CheckServer.ask(root, new CheckServer.Request(List.of("01"), 1, false, false),
                        new PrintStream(solved, true, StandardCharsets.UTF_8)), 0);
                expect(solved.toString(StandardCharsets.UTF_8).contains("Every checked exercise is done."), true);
                String log = Files.readString(CheckServer.sibling(socket, ".log"));
                expect(log.contains("check 01: exit 0; jobs run in a standby so far: 2"), true);
                List<ProcessHandle> tree;
                try (var caller = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
                    caller.write(java.nio.ByteBuffer.wrap("{\"lessons\":[\"01\"],\"jobs\":1}\n".getBytes()));
                    while (Files.readString(CheckServer.sibling(socket, ".log")).split("started").length < 4) {
                        Thread.sleep(5); // until its third check runs
                    }
                    tree = server.descendants().toList();
                } // and the caller is gone, as after Ctrl-C
                expect(server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), true);
                expect(List.of(tree.isEmpty(), tree.stream().anyMatch(Processes::isRunning), Files.exists(socket)),
                        List.of(false, false, false));
            } finally {
                if (server != null) server.destroyForcibly().waitFor();
                Processes.deleteTree(root);
            }
        });
    }

    static void serverIdle() {
        test("check's server ends by itself when idle, leaving no file", () -> {
            if (!Sandbox.detect().available()) return;
            Path root = courseCopy();
            Process server = null;
            try {
                server = startServer(root, "1");
                Path socket = CheckServer.socket(root);
                expect(server.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), true);
                expect(Files.exists(socket), false);
            } finally {
                if (server != null) server.destroyForcibly().waitFor();
                Processes.deleteTree(root);
            }
        });
    }

    /** A copy of the course with lesson 01 and what checking it needs, and the job's built runner. */
    static Path courseCopy() throws Exception {
        Path root = Files.createTempDirectory("tool-tests-server-");
        for (String part : List.of("course.yaml", "lessons", "tests/01_threads", "tests/support", "course/job",
                "course/protocol", ".course")) {
            Path from = Path.of(part);
            if (!Files.exists(from)) continue;
            try (var files = Files.walk(from)) {
                for (Path file : files.toList()) {
                    Path target = root.resolve(file.toString());
                    if (Files.isDirectory(file)) Files.createDirectories(target);
                    else Files.copy(file, Files.createDirectories(target.getParent()).resolve(file.getFileName()));
                }
            }
        }
        return root;
    }

    /** check's server for {@code root}, as check leaves it behind, once it listens. */
    static Process startServer(Path root, String idleSeconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "Course", "check-server", "--lesson", "01").directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        CheckServer.sibling(CheckServer.socket(root), ".log").toFile()));
        builder.environment().put("COURSE_ROOT", root.toString());
        builder.environment().put("COURSE_CHECK_SERVER_IDLE_SECONDS", idleSeconds);
        Process server = builder.start();
        Path socket = CheckServer.socket(root);
        long until = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(socket)) {
            if (!server.isAlive() || System.nanoTime() > until) throw new AssertionError("the server did not start");
            Thread.sleep(20);
        }
        return server;
    }

    // ---- orphans (engine/Processes) ----------------------------------------------------------

    static void orphans() {
        test("sweeping after one process ends only its own orphans, not those of one still running", () -> {
            if (!Files.isRegularFile(Path.of("/proc/self/stat"))) return; // only Linux re-parents orphans to us
            Process gone = Processes.startOwnSession(new ProcessBuilder("sh", "-c", "sleep 60 & echo $!"));
            Process running = Processes.startOwnSession(new ProcessBuilder("sh", "-c",
                    "(sleep 60 & echo $!); exec sleep 60"));
            ProcessHandle goneOrphan = orphan(gone);
            ProcessHandle runningOrphan = orphan(running);
            try {
                gone.waitFor();
                Processes.done(gone);
                expect(Processes.sweepOrphans(gone.toHandle()), 1);
                expect(goneOrphan.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS).isAlive(), false);
                expect(runningOrphan.isAlive(), true);
                running.destroyForcibly().waitFor();
                Processes.done(running);
                expect(Processes.sweepOrphans(running.toHandle()), 1);
                expect(runningOrphan.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS).isAlive(), false);
            } finally {
                goneOrphan.destroyForcibly();
                runningOrphan.destroyForcibly();
                running.destroyForcibly();
            }
        });
    }

    static void interrupted() {
        test("a command ended by a signal (as by Ctrl-C) leaves no temporary folder, process or cgroup of its own",
                () -> {
            if (!Files.isRegularFile(Path.of("/proc/self/stat"))) return; // the processes' session: Linux
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "ToolTests",
                    "--interrupted-child").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()));
            Path folder = Path.of(lines.readLine());
            List<ProcessHandle> started = java.util.Arrays.stream(lines.readLine().split(" "))
                    .map(pid -> ProcessHandle.of(Long.parseLong(pid)).orElseThrow()).toList();
            List<Path> groups = java.util.Arrays.stream(lines.readLine().split(" ")).filter(g -> !g.isEmpty())
                    .map(Path::of).toList();
            try {
                expect(Files.isRegularFile(folder.resolve("staged.java")) && started.stream().allMatch(Processes::isRunning)
                        && groups.stream().allMatch(Files::isDirectory), true);
                child.destroy(); // SIGTERM: like Ctrl-C's SIGINT, the JVM ends and runs its shutdown hooks
                expect(child.waitFor(), 143);
                expect(List.of(Files.exists(folder), started.stream().anyMatch(Processes::isRunning),
                        groups.stream().anyMatch(Files::exists)), List.of(false, false, false));
            } finally {
                child.destroyForcibly();
                started.forEach(ProcessHandle::destroyForcibly);
                Processes.deleteTree(folder);
            }
        });
    }

    /**
     * The command that {@link #interrupted} ends: a job's folder, an unsandboxed process in a
     * session of its own (Ctrl-C does not reach it) and, where there is a sandbox, a sandboxed one
     * in its cgroup; then it waits to be ended.
     */
    static void interruptedChild() throws Exception {
        Path folder = Processes.tempFolder("tool-tests-interrupted-");
        Files.writeString(folder.resolve("staged.java"), "class Staged {}");
        List<Process> started = new ArrayList<>(List.of(Processes.startOwnSession(new ProcessBuilder("sleep", "300"))));
        List<Path> groups = new ArrayList<>();
        Sandbox sandbox = Sandbox.detect();
        if (sandbox.available()) {
            Sandbox.Wrapped wrapped = sandbox.wrap(List.of("/bin/sleep", "300"), new Sandbox.Layout(List.of(), Path.of("/tmp")));
            started.add(Processes.start(new ProcessBuilder(wrapped.command())));
            groups.addAll(wrapped.cgroup().dirs());
        }
        System.out.println(folder);
        System.out.println(String.join(" ", started.stream().map(p -> Long.toString(p.pid())).toList()));
        System.out.println(String.join(" ", groups.stream().map(Path::toString).toList()));
        System.out.flush();
        new java.util.concurrent.CountDownLatch(1).await();
    }

    /** The pid a process printed, once that process has become an orphan of ours. */
    static ProcessHandle orphan(Process process) throws Exception {
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream())).readLine();
        ProcessHandle orphan = ProcessHandle.of(Long.parseLong(line.strip())).orElseThrow();
        long until = System.nanoTime() + 5_000_000_000L;
        while (orphan.parent().map(p -> p.pid() != ProcessHandle.current().pid()).orElse(true)) {
            if (System.nanoTime() > until) throw new AssertionError("pid " + line + " was not re-parented to us");
            Thread.sleep(5);
        }
        return orphan;
    }

    // ---- untrusted text ---------------------------------------------------------------------

    static void untrustedText() {
        test("Console.clean removes CSI and OSC sequences, C0/C1 controls and bidi overrides", () -> expect(Console.clean(
                "a\u001B[2Jb\u001B]0;title\u0007c\u009Bd\u202Ee\u0008f\tg\nh\u00e9"), "abcdef\tg\nh\u00e9"));
        test("a submission cannot smuggle the console's own colour markers", () ->
                expect(Console.clean("x\uE001y\uE00Fz"), "xyz"));
        test("without colour, the console writes no escape sequence at all", () -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Console console = new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
            console.line(console.red("fail") + " " + console.green("pass"));
            expect(bytes.toString(StandardCharsets.UTF_8), "fail pass\n");
        });
        test("Text.firstLine cuts at the first line and at the limit", () -> {
            expect(Text.firstLine("one\ntwo", 100), "one");
            expect(Text.firstLine("x".repeat(50), 10).length() <= 11, true);
        });
    }

    // ---- a made-up lesson 09 with two exercises and three tests ------------------------------

    static Manifest.Lesson manifestLesson() {
        return new Manifest.Lesson("09", "tool", "Tool", "what the tool does", "tool", List.of(
                new Manifest.Exercise("9.1", "first: two tests", 10, List.of("a", "b")),
                new Manifest.Exercise("9.2", "second: one test", 20, List.of("a", "b"))),
                new Manifest.Harness(List.of(), 30, 60, List.of(), false));
    }

    static List<TestCase> plan() {
        return List.of(
                new TestCase("ToolTest", "a1", "test a1", "9.1", 0, "assertThat(a()).isEqualTo(1);", "ToolTest.java", 10),
                new TestCase("ToolTest", "a2", "test a2", "9.1", 1, "assertThat(a()).isEqualTo(2);", "ToolTest.java", 20),
                new TestCase("ToolTest", "b1", "test b1", "9.2", 2, "assertThat(b()).isTrue();", "ToolTest.java", 30));
    }

    static TestResult result(String method, Status status, String message) {
        TestCase test = plan().stream().filter(t -> t.method().equals(method)).findFirst().orElseThrow();
        return new TestResult(test, status, message, "", 7);
    }

    static Results.Job job(Results.Variant variant, boolean timedOut) {
        return new Results.Job(Map.of(variant.name(), variant), 1234, timedOut);
    }

    /** A lesson graded from the given results for 9.1's tests; 9.2's test passes. */
    static LessonGrade grade(TestResult... results) {
        List<TestResult> all = new ArrayList<>(List.of(results));
        all.add(result("b1", Status.PASS, null));
        return Grades.lesson(LESSON, job(Results.Variant.of("lesson", plan(), List.of(), all, null, null), false), "lesson");
    }

    /** One exercise passed, one failed with a message, output and characters that need escaping. */
    static LessonGrade mixedGrade() {
        return Grades.lesson(LESSON, job(Results.Variant.of("lesson", plan(), List.of(), List.of(
                new TestResult(plan().get(0), Status.PASS, null, "printed <1> & \"2\"\n", 12),
                new TestResult(plan().get(1), Status.PASS, null, "", 3),
                new TestResult(plan().get(2), Status.FAIL, "expected: true\n but was: false", "", 40)), null, null), false),
                "lesson");
    }

    static LessonGrade mixedGradeWith(Status status) {
        return Grades.lesson(LESSON, job(Results.Variant.of("lesson", plan(), List.of(), List.of(
                new TestResult(plan().get(0), status, "why", "", 12), new TestResult(plan().get(1), status, "why", "", 3),
                new TestResult(plan().get(2), status, "why", "", 40)), null, null), false), "lesson");
    }

    // ---- a small TAP harness ------------------------------------------------------------------

    static void test(String name, Body body) {
        number++;
        try {
            body.run();
            System.out.println("ok " + number + " - " + name);
        } catch (Throwable e) {
            failed++;
            System.out.println("not ok " + number + " - " + name);
            String why = e instanceof AssertionError ? String.valueOf(e.getMessage()) : e.toString();
            for (String line : why.lines().toList()) System.out.println("  " + line);
        }
    }

    static void expect(Object actual, Object expected) {
        if (!expected.equals(actual)) throw new AssertionError("expected: " + show(expected) + "\n but was: " + show(actual));
    }

    static String show(Object value) {
        return value instanceof String text ? "\"" + text.replace("\n", "\\n") + "\"" : String.valueOf(value);
    }

    static void golden(String name, String actual) throws Exception {
        Path file = GOLDEN.resolve(name);
        if (update) Files.writeString(Files.createDirectories(GOLDEN).resolve(name), actual, StandardCharsets.UTF_8);
        if (!Files.isRegularFile(file)) throw new AssertionError("no golden file " + file + " (run with --update-golden)");
        String expected = Files.readString(file, StandardCharsets.UTF_8);
        if (expected.equals(actual)) return;
        List<String> want = expected.lines().toList();
        List<String> got = actual.lines().toList();
        int line = 0;
        while (line < Math.min(want.size(), got.size()) && want.get(line).equals(got.get(line))) line++;
        throw new AssertionError(file + " differs at line " + (line + 1) + ":\n expected: "
                + (line < want.size() ? want.get(line) : "(end)")
                + "\n but was:  " + (line < got.size() ? got.get(line) : "(end)"));
    }
}
