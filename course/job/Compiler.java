package course.job;

import static java.nio.charset.StandardCharsets.UTF_8;

import course.protocol.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** The JDK's compiler, run in this JVM on a lesson and its tests. */
final class Compiler {

    private Compiler() {}

    private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

    /** Compiles {@code files} into {@code classes}; returns the errors (none when it compiled). */
    static List<Event.Diagnostic> compile(List<Path> files, Path classes, String classPath, Map<Path, String> names)
            throws IOException {
        Files.createDirectories(classes);
        DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
        try (StandardJavaFileManager manager = JAVAC.getStandardFileManager(collector, Locale.ROOT, UTF_8)) {
            List<String> options = List.of("-d", classes.toString(), "-cp", classPath, "-proc:none",
                    "-encoding", "UTF-8", "-nowarn", "-Xlint:none", "-Xmaxerrs", "20", "-g");
            var sources = manager.getJavaFileObjectsFromPaths(files);
            boolean ok = JAVAC.getTask(null, manager, collector, options, null, sources).call();
            List<Event.Diagnostic> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> found : collector.getDiagnostics()) {
                if (found.getKind() != Diagnostic.Kind.ERROR) continue;
                String file = "?";
                if (found.getSource() != null) {
                    Path path = Path.of(found.getSource().toUri());
                    file = names.getOrDefault(path, path.getFileName().toString());
                }
                errors.add(new Event.Diagnostic(file, found.getLineNumber(), found.getMessage(Locale.ROOT)));
            }
            if (!ok && errors.isEmpty()) errors.add(new Event.Diagnostic("?", 0, "the compiler failed without a message"));
            return errors;
        }
    }
}
