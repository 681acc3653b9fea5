package course;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/**
 * The child JVM's side: compiles one lesson's variants with its tests and runs them on
 * the JUnit Platform, writing events to the results file. Submitted code runs here, never
 * in the course tool's own JVM.
 */
public final class LessonJob {

    private LessonJob() {}

    private static OutputStream results;
    private static final PrintStream REAL_OUT = System.out;
    private static final String BASE_CLASS_PATH = System.getProperty("java.class.path");

    public static void main(String[] args) throws Exception {
        Events.Job job = Events.GSON.fromJson(Files.readString(Path.of(args[0])), Events.Job.class);
        results = new FileOutputStream(job.resultsFile(), true);
        // Whatever submitted code started must not outlive this JVM, even after System.exit.
        Runtime.getRuntime().addShutdownHook(new Thread(LessonJob::endChildProcesses));
        Capture capture = new Capture(job.outputCapBytes());
        org.assertj.core.api.Assertions.setMaxStackTraceElementsDisplayed(4);
        System.setOut(new PrintStream(capture, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(capture, true, StandardCharsets.UTF_8));
        try {
            for (Events.Variant variant : job.variants()) runVariant(job, variant, capture);
            emit(Events.Event.marker("done", null));
        } catch (Throwable error) {
            REAL_OUT.println("lesson job failed: " + error);
            error.printStackTrace(REAL_OUT);
        }
        REAL_OUT.flush();
        endChildProcesses();
        Runtime.getRuntime().halt(0); // leaked non-daemon threads must not keep us alive
    }

    static void endChildProcesses() {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private static void runVariant(Events.Job job, Events.Variant variant, Capture capture) throws Exception {
        Path work = Path.of(job.workDir(), variant.name().replaceAll("[^A-Za-z0-9._-]", "_"));
        Path sources = Files.createDirectories(work.resolve("src"));
        Path source = Path.of(variant.source());
        String text = Files.readString(source);
        Map<Path, String> displayNames = new HashMap<>();
        String display = source.getParent().getFileName() + "/" + source.getFileName();
        if (variant.overlay() != null) {
            text = Sources.overlay(text, Files.readString(Path.of(variant.overlay())));
            display = display + " with " + Path.of(variant.overlay()).getFileName();
        }
        Path lessonCopy = sources.resolve(job.lessonFile());
        Files.writeString(lessonCopy, text);
        displayNames.put(lessonCopy, display);

        List<Path> files = new ArrayList<>();
        files.add(lessonCopy);
        List<Path> testFiles = Sources.javaFiles(Path.of(job.testDir()));
        for (Path test : testFiles) displayNames.put(test, "tests/" + Path.of(job.testDir()).getFileName() + "/" + test.getFileName());
        files.addAll(testFiles);
        for (Path support : Sources.javaFiles(Path.of(job.supportDir()))) {
            files.add(support);
            displayNames.put(support, "tests/support/" + support.getFileName());
        }
        Path classes = work.resolve("classes");
        // A JVM started again (after a test ended the last one) reuses what that one compiled.
        Path compiled = work.resolve("compiled.ok");
        List<Events.Diagnostic> errors = Files.exists(compiled) ? List.of()
                : Sources.compile(files, classes, BASE_CLASS_PATH, displayNames);
        emit(Events.Event.compiled(variant.name(), errors.isEmpty(), errors));
        if (!errors.isEmpty()) return;
        Files.writeString(compiled, "");

        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, LessonJob.class.getClassLoader());
        // Code that starts a child JVM of itself passes on java.class.path, as the lessons
        // teach: make that class path hold this variant's classes, as it would under JBang.
        System.setProperty("java.class.path", classes + java.io.File.pathSeparator + BASE_CLASS_PATH);
        // Tests that check the source itself (tests/support/Source.java) read it from here.
        System.setProperty("course.source", lessonCopy.toString());
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            List<Class<?>> testClasses = new ArrayList<>();
            for (Path test : testFiles) {
                String name = test.getFileName().toString().replace(".java", "");
                if (name.endsWith("Test")) testClasses.add(loader.loadClass(name));
            }
            Set<String> exclude = Set.copyOf(job.exclude() == null ? List.of() : job.exclude());
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(testClasses.stream().map(type -> selectClass(type)).toList())
                    .filters((PostDiscoveryFilter) descriptor -> FilterResult.includedIf(
                            !exclude.contains(descriptor.getUniqueId().toString())))
                    .filters(variant.onlyExercise() == null
                            ? (PostDiscoveryFilter) descriptor -> FilterResult.included("all")
                            : TagFilter.includeTags(variant.onlyExercise()))
                    .configurationParameter("junit.jupiter.execution.timeout.default", "30 s")
                    .configurationParameter("junit.jupiter.execution.timeout.thread.mode.default", "SEPARATE_THREAD")
                    .configurationParameter("junit.platform.output.capture.stdout", "false")
                    .build();
            Launcher launcher = LauncherFactory.create();
            TestPlan plan = launcher.discover(request);
            List<Events.TestInfo> tests = new ArrayList<>();
            for (TestIdentifier root : plan.getRoots()) {
                for (TestIdentifier test : plan.getDescendants(root)) {
                    if (test.isTest()) tests.add(new Events.TestInfo(test.getUniqueId(), test.getDisplayName(), exerciseOf(test)));
                }
            }
            emit(Events.Event.plan(variant.name(), tests));
            List<TestExecutionListener> listeners = new ArrayList<>();
            listeners.add(new Reporter(variant.name(), capture, job.lessonFile()));
            if (job.xmlDir() != null) {
                Path xml = Files.createDirectories(Path.of(job.xmlDir()));
                listeners.add(new LegacyXmlReportGeneratingListener(xml, new PrintWriter(OutputStream.nullOutputStream())));
            }
            launcher.execute(plan, listeners.toArray(TestExecutionListener[]::new));
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        emit(Events.Event.marker("variant-done", variant.name()));
    }

    static String exerciseOf(TestIdentifier test) {
        return test.getTags().stream().map(TestTag::getName).filter(tag -> tag.matches("\\d+\\.\\d+"))
                .findFirst().orElse(null);
    }

    static synchronized void emit(Events.Event event) {
        try {
            results.write((Events.GSON.toJson(event) + "\n").getBytes(StandardCharsets.UTF_8));
            results.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes an event for each test, with what it printed and why it failed. */
    private record Reporter(String variant, Capture capture, String lessonFile) implements TestExecutionListener {

        @Override
        public void executionStarted(TestIdentifier test) {
            if (!test.isTest()) return;
            capture.startTest();
            emit(Events.Event.started(variant, test.getUniqueId()));
        }

        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            if (test.isTest()) emit(Events.Event.finished(variant, test.getUniqueId(), "skipped", reason, "", false, 0));
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (!test.isTest()) return;
            String output = capture.endTest();
            Throwable failure = result.getThrowable().orElse(null);
            String status = switch (result.getStatus()) {
                case SUCCESSFUL -> "pass";
                case ABORTED -> "skipped";
                case FAILED -> failure instanceof AssertionError && !isTimeout(failure) ? "fail" : "error";
            };
            emit(Events.Event.finished(variant, test.getUniqueId(), status,
                    failure == null ? null : explain(failure, lessonFile), output, isNotDone(failure), capture.millis()));
        }
    }

    /** A stub's "exercise N.M is not done yet", thrown, wrapped, or quoted in a test's message. */
    static boolean isNotDone(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).contains("is not done yet")) return true;
        }
        return false;
    }

    static boolean isTimeout(Throwable failure) {
        return failure instanceof TimeoutException || failure.getClass().getSimpleName().contains("Timeout");
    }

    /** A failure as a learner should read it: the message, and where in their file it came from. */
    static String explain(Throwable failure, String lessonFile) {
        if (isNotDone(failure)) {
            java.util.regex.Matcher stub = java.util.regex.Pattern.compile("exercise [\\d.]+ is not done yet[^\\n]*")
                    .matcher(String.valueOf(failure.getMessage()) + " " + failure.getCause());
            return stub.find() ? stub.group() : String.valueOf(failure.getMessage());
        }
        if (isTimeout(failure)) {
            return String.valueOf(failure.getMessage()).replaceFirst("^.*?timed out", "timed out")
                    + ": is something waiting forever (a deadlock, a lost signal, a join on a thread that never ends)?";
        }
        if (failure instanceof AssertionError) return String.valueOf(failure.getMessage()).strip();
        StringBuilder text = new StringBuilder(failure.toString());
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            for (StackTraceElement frame : cause.getStackTrace()) {
                if (lessonFile.equals(frame.getFileName())) {
                    return text.append(" (at ").append(lessonFile).append(":").append(frame.getLineNumber())
                            .append(", in ").append(frame.getMethodName()).append(")").toString();
                }
            }
        }
        return text.toString();
    }

    /**
     * Where System.out and System.err go while tests run: the current test's buffer, of
     * which the first {@code cap} bytes are kept and the rest only counted.
     */
    static final class Capture extends OutputStream {
        private final int cap;
        private ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long dropped;
        private long startNanos;

        Capture(int cap) {
            this.cap = cap;
        }

        synchronized void startTest() {
            kept = new ByteArrayOutputStream();
            dropped = 0;
            startNanos = System.nanoTime();
        }

        synchronized String endTest() {
            String text = kept.toString(StandardCharsets.UTF_8);
            if (dropped > 0) text += String.format("%n[... %,d more bytes of output dropped]%n", dropped);
            kept = new ByteArrayOutputStream();
            dropped = 0;
            return text;
        }

        synchronized long millis() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }

        @Override
        public synchronized void write(int b) {
            if (kept.size() < cap) kept.write(b);
            else dropped++;
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            int room = Math.max(0, Math.min(length, cap - kept.size()));
            kept.write(bytes, offset, room);
            dropped += length - room;
        }
    }
}
