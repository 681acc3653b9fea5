package course.engine;

import course.protocol.Event;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Runs a lesson or solution file as a program, as JBang would (its //JAVA_OPTIONS, the test
 * libraries' class path for its //DEPS), with a time limit. For the course's own files only:
 * it does not sandbox.
 */
public final class Program {

    private Program() {}

    /** {@code leftBehind}: processes it started that were still running after it ended. */
    public record Result(List<Event.Diagnostic> diagnostics, int exitCode, boolean timedOut, String output,
                         long millis, int leftBehind) {
        public boolean compiled() {
            return diagnostics.isEmpty();
        }
    }

    public static Result run(Path source, String displayName, List<String> args, Duration limit) throws Exception {
        Path work = Processes.tempFolder("course-run-");
        try {
            Path classes = Files.createDirectories(work.resolve("classes"));
            String text = Files.readString(source);
            Path copy = Files.writeString(work.resolve(source.getFileName()), text);
            String classPath = ChildJvm.join(ChildJvm.fromToolClassPath().classPath());
            List<Event.Diagnostic> errors = compile(copy, displayName, classes, classPath);
            if (!errors.isEmpty()) return new Result(errors, -1, false, "", 0, 0);
            List<String> command = new ArrayList<>(List.of(ChildJvm.java().toString()));
            command.addAll(javaOptions(text));
            command.addAll(List.of("-cp", classes + File.pathSeparator + classPath, Sources.mainClass(text)));
            command.addAll(args);
            long begin = System.nanoTime();
            Process process = Processes.startOwnSession(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).directory(work.toFile()));
            Drain drain = new Drain(process.getInputStream(), Engine.OUTPUT_CAP);
            Thread drainer = Thread.ofPlatform().daemon().start(drain);
            boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            Processes.endTree(process.toHandle());
            process.waitFor();
            Processes.done(process);
            int leftBehind = Processes.sweepOrphans(process.toHandle());
            drainer.join(2_000);
            long millis = (System.nanoTime() - begin) / 1_000_000;
            return new Result(List.of(), process.exitValue(), !ended, drain.text(), millis, leftBehind);
        } finally {
            Processes.deleteTree(work);
        }
    }

    /** The options of the file's //JAVA_OPTIONS lines, as JBang passes them to java. */
    static List<String> javaOptions(String source) {
        List<String> options = new ArrayList<>();
        for (String line : source.lines().toList()) {
            if (line.startsWith("//JAVA_OPTIONS ")) options.addAll(Arrays.asList(line.substring(15).strip().split("\\s+")));
        }
        return options;
    }

    static List<Event.Diagnostic> compile(Path file, String displayName, Path classes, String classPath) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(collector, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", classes.toString(), "-cp", classPath, "-proc:none", "-encoding", "UTF-8",
                    "-nowarn", "-Xlint:none");
            boolean ok = javac.getTask(null, files, collector, options, null, files.getJavaFileObjectsFromPaths(List.of(file)))
                    .call();
            List<Event.Diagnostic> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> found : collector.getDiagnostics()) {
                if (found.getKind() == Diagnostic.Kind.ERROR) {
                    errors.add(new Event.Diagnostic(displayName, found.getLineNumber(), found.getMessage(Locale.ROOT)));
                }
            }
            if (!ok && errors.isEmpty()) errors.add(new Event.Diagnostic(displayName, 0,
                    "the compiler failed without a message"));
            return errors;
        }
    }
}
