package course;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The course tool's side of a lesson job: starts the child JVM with a heap limit, drains
 * and caps what it prints, ends its whole process tree when the time limit is reached,
 * and starts it again past a test that killed the JVM, so no other result is lost.
 */
public final class Runner {

    private Runner() {}

    public static final int OUTPUT_CAP = 64 * 1024;
    static final int MAX_RESTARTS = 4;

    /** What happened to one test. */
    public record TestResult(String id, String name, String exercise, String status, String message,
                             String output, boolean notDone, long millis) {}

    /** What happened to one variant: compiled or not, and each test. */
    public static final class VariantResult {
        public final String name;
        public boolean compiled = true;
        public List<Events.Diagnostic> diagnostics = List.of();
        public final Map<String, TestResult> tests = new LinkedHashMap<>();
        /** Why some tests have no result of their own (a time limit, a dead JVM), or null. */
        public String problem;

        VariantResult(String name) {
            this.name = name;
        }

        public List<TestResult> testsOf(String exercise) {
            return tests.values().stream().filter(test -> exercise.equals(test.exercise())).toList();
        }
    }

    /** The results of a job, by variant name, plus how long it took. */
    public record JobResult(Map<String, VariantResult> variants, long millis, boolean timedOut) {}

    public static JobResult run(Path root, Manifest.Lesson lesson, List<Events.Variant> variants,
                                Duration limit, Path xmlDir) throws IOException, InterruptedException {
        long begin = System.nanoTime();
        long deadline = begin + limit.toNanos();
        if (archiveDir == null) archiveDir = root.resolve(".bootstrap");
        Path work = Files.createTempDirectory("course-" + lesson.id() + "-");
        Map<String, VariantResult> results = new LinkedHashMap<>();
        for (Events.Variant variant : variants) results.put(variant.name(), new VariantResult(variant.name()));
        List<String> finishedIds = new ArrayList<>();
        boolean timedOut = false;
        try {
            List<Events.Variant> pending = new ArrayList<>(variants);
            for (int attempt = 0; attempt <= MAX_RESTARTS && !pending.isEmpty(); attempt++) {
                Path resultsFile = work.resolve("results-" + attempt + ".jsonl");
                Events.Job job = new Events.Job(lesson.id(), lesson.fileName(),
                        root.resolve("tests").resolve(lesson.folder()).toString(),
                        root.resolve("tests/support").toString(), pending, resultsFile.toString(),
                        work.resolve("variants").toString(),
                        xmlDir == null ? null : xmlDir.resolve("attempt-" + attempt).toString(),
                        List.copyOf(finishedIds), OUTPUT_CAP);
                Path jobFile = work.resolve("job-" + attempt + ".json");
                Files.writeString(jobFile, Events.GSON.toJson(job));
                Files.createFile(resultsFile);

                Exit exit = runChild(jobFile, deadline);
                timedOut = exit.timedOut;
                Outcome outcome = collect(resultsFile, results, finishedIds);
                if (outcome.done) break;

                // The JVM ended early, or ran out of time: say so on the test it was in.
                String why = exit.timedOut
                        ? "the lesson's time limit of " + limit.toSeconds() + " s ran out during this test"
                        : describeDeath(exit);
                if (outcome.inFlightVariant != null && outcome.inFlightTest != null) {
                    VariantResult variant = results.get(outcome.inFlightVariant);
                    TestResult known = variant.tests.get(outcome.inFlightTest);
                    variant.tests.put(outcome.inFlightTest, new TestResult(outcome.inFlightTest,
                            known == null ? outcome.inFlightTest : known.name(),
                            known == null ? null : known.exercise(), "error", why, tail(exit.output), false, 0));
                    finishedIds.add(outcome.inFlightTest);
                }
                // Variants that finished are done; the one in flight and the rest go again.
                pending.removeIf(variant -> outcome.doneVariants.contains(variant.name()));
                if (exit.timedOut || outcome.inFlightTest == null) {
                    for (Events.Variant variant : pending) {
                        VariantResult result = results.get(variant.name());
                        if (result.problem == null) result.problem = outcome.inFlightTest == null && !exit.timedOut
                                ? why + (exit.output.isBlank() ? "" : "\n" + tail(exit.output)) : why;
                    }
                    break;
                }
            }
        } finally {
            deleteTree(work);
        }
        for (VariantResult variant : results.values()) {
            for (Map.Entry<String, TestResult> entry : variant.tests.entrySet()) {
                TestResult test = entry.getValue();
                if (test.status() == null) {
                    entry.setValue(new TestResult(test.id(), test.name(), test.exercise(), "error",
                            variant.problem == null ? "not run" : "not run: " + variant.problem, "", false, 0));
                }
            }
        }
        return new JobResult(results, (System.nanoTime() - begin) / 1_000_000, timedOut);
    }

    static String describeDeath(Exit exit) {
        String output = exit.output;
        if (output.contains("OutOfMemoryError")) {
            return "the JVM ran out of memory (OutOfMemoryError, heap limited to 512 MB) during this test";
        }
        return "the JVM exited with code " + exit.code + " during this test: does the code call System.exit "
                + "or Runtime.halt? A test cannot pass if the JVM ends under it";
    }

    static String tail(String text) {
        return text.length() <= 4000 ? text : "[...]\n" + text.substring(text.length() - 4000);
    }

    record Exit(int code, boolean timedOut, String output) {}

    record Outcome(boolean done, String inFlightVariant, String inFlightTest, List<String> doneVariants) {}

    /** Reads the events; fills in results; tells whether the job got to its end. */
    static Outcome collect(Path resultsFile, Map<String, VariantResult> results, List<String> finishedIds) throws IOException {
        boolean done = false;
        String inFlightVariant = null;
        String inFlightTest = null;
        List<String> doneVariants = new ArrayList<>();
        for (String line : Files.readAllLines(resultsFile, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            Events.Event event;
            try {
                event = Events.GSON.fromJson(line, Events.Event.class);
            } catch (RuntimeException e) {
                continue; // a line cut short by a dying JVM
            }
            VariantResult variant = event.variant() == null ? null : results.get(event.variant());
            switch (event.type()) {
                case "compiled" -> {
                    variant.compiled = event.ok();
                    variant.diagnostics = event.diagnostics();
                    if (!event.ok()) doneVariants.add(variant.name);
                }
                case "plan" -> {
                    for (Events.TestInfo test : event.tests()) {
                        variant.tests.putIfAbsent(test.id(), new TestResult(test.id(), test.name(), test.exercise(),
                                null, null, null, false, 0));
                    }
                }
                case "started" -> {
                    inFlightVariant = event.variant();
                    inFlightTest = event.id();
                }
                case "finished" -> {
                    TestResult known = variant.tests.get(event.id());
                    variant.tests.put(event.id(), new TestResult(event.id(), known == null ? event.id() : known.name(),
                            known == null ? null : known.exercise(), event.status(), event.message(), event.output(),
                            Boolean.TRUE.equals(event.notDone()), event.millis() == null ? 0 : event.millis()));
                    finishedIds.add(event.id());
                    inFlightTest = null;
                }
                case "variant-done" -> doneVariants.add(event.variant());
                case "done" -> done = true;
                default -> { }
            }
        }
        return new Outcome(done, inFlightVariant, inFlightTest, doneVariants);
    }

    /** The java command for a child JVM, on the class path of this one. */
    public static List<String> javaCommand(String mainClass) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.addAll(archiveOptions());
        command.add("-Djava.awt.headless=true");
        // Lincheck (interleaving exploration in the tests) attaches its own agent and uses Unsafe.
        command.add("-XX:+EnableDynamicAgentLoading");
        command.add("--sun-misc-unsafe-memory-access=allow");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        return command;
    }

    /** Where lesson jobs keep their class-data archive (set once per run of the tool), or null. */
    static volatile Path archiveDir;

    /**
     * A class-data archive of what every lesson job loads (the compiler, JUnit, AssertJ)
     * makes each job start about half a second sooner. The first job writes it to a file of
     * its own, renamed into place when complete; later jobs only read it. One archive per
     * class path, which changes whenever the tool does.
     */
    static List<String> archiveOptions() {
        if (archiveDir == null) return List.of();
        String classPath = System.getProperty("java.class.path");
        Path archive = archiveDir.resolve("course-jobs-" + Integer.toHexString(classPath.hashCode()) + ".jsa");
        if (Files.isRegularFile(archive)) return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        try {
            Files.createDirectories(archiveDir);
            Path partial = Files.createTempFile(archiveDir, "course-jobs-", ".jsa.partial");
            PENDING_ARCHIVES.put(partial, archive);
            return List.of("-XX:ArchiveClassesAtExit=" + partial, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Archives being written, and where each goes once its JVM has ended. */
    static final Map<Path, Path> PENDING_ARCHIVES = new java.util.concurrent.ConcurrentHashMap<>();

    static void settleArchives(List<String> command) {
        for (String option : command) {
            if (!option.startsWith("-XX:ArchiveClassesAtExit=")) continue;
            Path partial = Path.of(option.substring("-XX:ArchiveClassesAtExit=".length()));
            Path archive = PENDING_ARCHIVES.remove(partial);
            try {
                if (archive != null && Files.size(partial) > 0) {
                    Files.move(partial, archive, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.deleteIfExists(partial);
                }
            } catch (IOException e) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // a stray temporary file in .bootstrap/
                }
            }
        }
    }

    static Exit runChild(Path jobFile, long deadline) throws IOException, InterruptedException {
        List<String> command = javaCommand(LessonJob.class.getName());
        command.add(jobFile.toString());
        // The child works in a folder of its own: code that writes relative paths writes there.
        Path home = Files.createDirectories(jobFile.resolveSibling("cwd"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process = Processes.start(builder);
        Drain drain = new Drain(process.getInputStream());
        Thread drainer = Thread.ofPlatform().daemon().name("drain-" + process.pid()).start(drain);
        boolean ended = process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (!ended) Processes.endTree(process.toHandle());
        process.waitFor();
        Processes.endTree(process.toHandle());
        Processes.done(process);
        Processes.sweepOrphans(); // what a halted or killed JVM left behind
        settleArchives(command);
        drainer.join(2_000);
        return new Exit(process.exitValue(), !ended, drain.text());
    }

    /** Reads a stream to its end, keeping the last OUTPUT_CAP bytes. */
    static final class Drain implements Runnable {
        private final InputStream in;
        private final byte[] ring = new byte[OUTPUT_CAP];
        private long total;

        Drain(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    synchronized (this) {
                        for (int i = 0; i < n; i++) ring[(int) ((total + i) % OUTPUT_CAP)] = buffer[i];
                        total += n;
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }

        synchronized String text() {
            if (total <= OUTPUT_CAP) return new String(ring, 0, (int) total, StandardCharsets.UTF_8);
            int start = (int) (total % OUTPUT_CAP);
            byte[] ordered = new byte[OUTPUT_CAP];
            System.arraycopy(ring, start, ordered, 0, OUTPUT_CAP - start);
            System.arraycopy(ring, 0, ordered, OUTPUT_CAP - start, start);
            return String.format("[... %,d bytes dropped]%n", total - OUTPUT_CAP) + new String(ordered, StandardCharsets.UTF_8);
        }
    }

    static void deleteTree(Path path) {
        try (var walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temporary folder
        }
    }
}
