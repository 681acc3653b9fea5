package course.engine;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The java command of a lesson job: this JDK, the runner as a named module beside JUnit's
 * modules, the test libraries on the class path, its AOT cache when there is one, C1 only (a job
 * is short and mostly javac: a lesson's compile took 2.3 s with C2, 1.3 s with C1 and the cache), and
 * flags that keep submitted code out of the runner (no native access but the runner's, no
 * {@code sun.misc.Unsafe} memory access, no agents) unless the lesson's tests need Lincheck.
 */
public record ChildJvm(Path launcher, List<Path> modulePath, List<Path> classPath) {

    /** Jars only the tool itself uses: a lesson job does not get them. */
    static final List<String> TOOL_ONLY = List.of("/info/picocli/", "/com/google/code/gson/", "/org/yaml/snakeyaml/",
            "/com/puppycrawl/", "/com/palantir/", "/.jbang/cache/jars/");
    /** Jars that go on the module path: JUnit's, which are named modules that open nothing. */
    static final List<String> MODULES = List.of("/org/junit/", "/org/opentest4j/", "/org/apiguardian/");

    /** From this JVM's class path (JBang resolved the test libraries with the tool's own). */
    public static ChildJvm fromToolClassPath() {
        List<Path> modules = new ArrayList<>();
        List<Path> classes = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String normal = entry.replace(File.separatorChar, '/');
            if (entry.isBlank() || !entry.endsWith(".jar") || TOOL_ONLY.stream().anyMatch(normal::contains)) continue;
            (MODULES.stream().anyMatch(normal::contains) ? modules : classes).add(Path.of(entry));
        }
        return new ChildJvm(java(), List.copyOf(modules), List.copyOf(classes));
    }

    /** The java launcher of the JDK this tool runs on: the one way the tool finds it. */
    public static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    public static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    /** Every file the job reads from the host, for the sandbox's read-only binds. */
    public List<Path> files() {
        List<Path> files = new ArrayList<>(List.of(javaHome()));
        files.addAll(modulePath);
        files.addAll(classPath);
        return files;
    }

    /**
     * What the job JVM lets in: nothing (STRICT); sun.misc.Unsafe's memory access for a
     * library that needs it, such as Hazelcast (UNSAFE_MEMORY); that and Lincheck's agent,
     * for lessons whose tests explore interleavings (INTERLEAVINGS).
     */
    public enum Trust { STRICT, UNSAFE_MEMORY, INTERLEAVINGS }

    public List<String> command(Path runnerModule, Path archive, Trust trust, List<String> main) {
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "-Xmx512m", "-Xss1m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:MaxDirectMemorySize=256m", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8",
                "--enable-native-access=course.job", "--illegal-native-access=deny"));
        if (trust == Trust.STRICT) {
            command.addAll(List.of("--sun-misc-unsafe-memory-access=deny", "-XX:-EnableDynamicAgentLoading"));
        } else if (trust == Trust.UNSAFE_MEMORY) {
            // The runner is the main module, so only what it reads is resolved: such a library
            // also needs sun.misc (jdk.unsupported) and the platform's management modules.
            command.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "-XX:-EnableDynamicAgentLoading",
                    "--add-modules", "java.se,jdk.unsupported,jdk.management"));
        } else {
            // Lincheck attaches its agent and uses Unsafe: see the threat model in the README.
            command.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "-XX:+EnableDynamicAgentLoading"));
        }
        if (archive != null && Files.isRegularFile(archive)) {
            command.addAll(List.of("-XX:AOTCache=" + archive, "-Xlog:cds=off", "-Xlog:aot=off"));
        }
        List<Path> modules = new ArrayList<>(List.of(runnerModule));
        modules.addAll(modulePath);
        command.addAll(List.of("--module-path", join(modules), "--add-modules", "ALL-MODULE-PATH"));
        if (!classPath.isEmpty()) command.addAll(List.of("-cp", join(classPath)));
        command.addAll(List.of("-m", "course.job/course.job.LessonJob"));
        command.addAll(main);
        return command;
    }

    static String join(List<Path> paths) {
        return String.join(File.pathSeparator, paths.stream().map(Path::toString).toList());
    }
}
