package course.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import course.protocol.Event;
import java.io.File;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/**
 * A lesson job: compiles each variant (a lesson file) with the lesson's tests and runs them on
 * the JUnit Platform, sending an {@link Event} for each step. Submitted code runs here, in
 * this JVM, never in the course tool's.
 *
 * <p>Started as {@code java ... -m course.job/course.job.LessonJob SPEC}, with the run's secret
 * as the first line of standard input; or, as a standby, {@code ... LessonJob --standby WARMUP-SPEC},
 * which warms up and then reads the secret and the spec's path as two lines of standard input.
 */
public final class LessonJob {

    private LessonJob() {}

    /** The largest JUnit XML report sent back as a witness. */
    static final int WITNESS_CAP = 1 << 20;

    public static void main(String[] args) throws Exception {
        PrintStream realErr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, UTF_8);
        limitAssertionTraces();
        boolean standby = args.length == 2 && args[0].equals("--standby");
        if (standby) warmUp(Path.of(args[1]));
        String secret = readLine(System.in);
        Path specFile = standby ? Path.of(readLine(System.in)) : Path.of(args[0]);
        System.setIn(InputStream.nullInputStream());
        Channel channel = Channel.open(secret);
        Spec spec = Spec.read(specFile);
        Capture capture = new Capture(spec.outputCap());
        PrintStream captured = new PrintStream(capture, true, UTF_8);
        System.setOut(captured);
        System.setErr(captured);
        // Whatever submitted code started must not outlive this JVM, even after System.exit.
        Runtime.getRuntime().addShutdownHook(new Thread(LessonJob::endChildProcesses));
        try {
            for (Spec.Variant variant : spec.variants()) runVariant(spec, variant, channel, capture);
            channel.send(new Event.Done());
        } catch (Throwable error) {
            realErr.println("lesson job failed: " + error);
            error.printStackTrace(realErr);
        }
        endChildProcesses();
        Runtime.getRuntime().halt(0); // leaked non-daemon threads must not keep us alive
    }

    /** A line of standard input (the secret, or a standby's spec), unbuffered: nothing after it is read. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n' && line.length() < 4096; ) line.append((char) c);
        return line.toString();
    }

    /**
     * A standby job (see the tool's {@code Standby}) warms up before it is given a job: it compiles
     * and runs the tool's own warm-up lesson (trusted code, written by the tool) as a job would,
     * its events and output thrown away, so that javac and the JUnit Platform are loaded and
     * compiled when the real job arrives. Nothing of it is kept but the JVM's warmth.
     */
    static void warmUp(Path specFile) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        String classPath = System.getProperty("java.class.path");
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, UTF_8);
        System.setOut(nowhere);
        System.setErr(nowhere);
        try {
            Spec spec = Spec.read(specFile);
            for (Spec.Variant variant : spec.variants()) {
                runVariant(spec, variant, Channel.discarding(), new Capture(spec.outputCap()));
            }
        } catch (Throwable failed) {
            // a colder job, not a wrong one: the real job compiles and runs as it would have
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.setProperty("java.class.path", classPath);
            System.clearProperty("course.source");
            Thread.currentThread().setContextClassLoader(LessonJob.class.getClassLoader());
        }
    }

    static void endChildProcesses() {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    /** AssertJ is on the class path (not a module we read): set its option reflectively. */
    static void limitAssertionTraces() {
        try {
            Class.forName("org.assertj.core.api.Assertions")
                    .getMethod("setMaxStackTraceElementsDisplayed", int.class).invoke(null, 4);
        } catch (ReflectiveOperationException | LinkageError absent) {
            // no AssertJ: nothing to limit
        }
    }

    static void runVariant(Spec spec, Spec.Variant variant, Channel channel, Capture capture) throws Exception {
        Path work = Files.createTempDirectory("variant-");
        Path lessonCopy = Files.createDirectories(work.resolve("src")).resolve(spec.lessonFile());
        Files.copy(variant.source(), lessonCopy);
        Map<Path, String> names = new HashMap<>();
        names.put(lessonCopy, variant.display());
        List<Path> testFiles = javaFiles(spec.tests());
        List<Path> files = new ArrayList<>(List.of(lessonCopy));
        for (Path test : testFiles) names.put(test, "tests/" + spec.tests().getFileName() + "/" + test.getFileName());
        files.addAll(testFiles);
        for (Path support : javaFiles(spec.support())) {
            files.add(support);
            names.put(support, "tests/support/" + support.getFileName());
        }
        String jars = jars();
        Path classes = work.resolve("classes");
        List<Event.Diagnostic> errors = Compiler.compile(files, classes, jars, names);
        channel.send(new Event.Compiled(variant.name(), errors.isEmpty(), errors));
        if (!errors.isEmpty()) return;

        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, LessonJob.class.getClassLoader());
        // Code that starts a child JVM of itself passes on java.class.path, as the lessons teach:
        // make that class path hold this variant's classes, as it would under JBang.
        System.setProperty("java.class.path", classes + File.pathSeparator + jars);
        // Tests that check the source itself (tests/support/Source.java) read it from here.
        System.setProperty("course.source", lessonCopy.toString());
        Thread.currentThread().setContextClassLoader(loader);
        List<Class<?>> testClasses = new ArrayList<>();
        for (Path test : testFiles) {
            String name = test.getFileName().toString().replace(".java", "");
            if (name.endsWith("Test")) testClasses.add(loader.loadClass(name));
        }
        StopAfterFailure.start(variant.stopAtFirstFailure());
        Launcher launcher = LauncherFactory.create();
        TestPlan plan = launcher.discover(request(spec, variant, testClasses));
        channel.send(new Event.Plan(variant.name(), planned(plan)));
        Path xml = Files.createDirectories(work.resolve("xml"));
        launcher.execute(plan, new Reporter(channel, variant.name(), capture, spec.lessonFile()),
                new LegacyXmlReportGeneratingListener(xml, new PrintWriter(OutputStream.nullOutputStream())));
        channel.send(new Event.Witness(variant.name(), witness(xml)));
        channel.send(new Event.VariantDone(variant.name()));
    }

    static LauncherDiscoveryRequest request(Spec spec, Spec.Variant variant, List<Class<?>> testClasses) {
        Set<String> exclude = Set.copyOf(spec.exclude());
        PostDiscoveryFilter notDoneYet = test -> FilterResult.includedIf(!exclude.contains(test.getUniqueId().toString()));
        PostDiscoveryFilter onlyTag = test -> FilterResult.includedIf(variant.onlyTag() == null || !test.isTest()
                || test.getTags().stream().map(TestTag::getName).anyMatch(variant.onlyTag()::equals));
        return LauncherDiscoveryRequestBuilder.request()
                .selectors(testClasses.stream().map(type -> selectClass(type)).toList())
                .filters(notDoneYet, onlyTag)
                .configurationParameter("junit.jupiter.execution.timeout.default", "30 s")
                .configurationParameter("junit.jupiter.execution.timeout.thread.mode.default", "SEPARATE_THREAD")
                .configurationParameter("junit.platform.output.capture.stdout", "false")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .build();
    }

    static List<Event.PlannedTest> planned(TestPlan plan) {
        List<Event.PlannedTest> tests = new ArrayList<>();
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier test : plan.getDescendants(root)) {
                if (!test.isTest()) continue;
                String className = "?";
                String method = "?";
                if (test.getSource().orElse(null) instanceof MethodSource source) {
                    className = source.getClassName();
                    method = source.getMethodName();
                }
                tests.add(new Event.PlannedTest(test.getUniqueId(), className, method));
            }
        }
        return tests;
    }

    static String witness(Path xmlDir) throws IOException {
        StringBuilder xml = new StringBuilder();
        for (Path file : javaFiles(xmlDir, ".xml")) xml.append(Files.readString(file, UTF_8));
        return xml.length() > WITNESS_CAP ? xml.substring(0, WITNESS_CAP) : xml.toString();
    }

    /** The class path and module path of this JVM, as one class path for compiling and child JVMs. */
    static String jars() {
        List<String> entries = new ArrayList<>();
        for (String property : List.of("java.class.path", "jdk.module.path")) {
            String value = System.getProperty(property, "");
            for (String entry : value.split(File.pathSeparator)) {
                if (!entry.isBlank() && entry.endsWith(".jar")) entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    static List<Path> javaFiles(Path folder) throws IOException {
        return javaFiles(folder, ".java");
    }

    static List<Path> javaFiles(Path folder, String suffix) throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
