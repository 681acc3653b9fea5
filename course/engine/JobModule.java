package course.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The runner's module, compiled from course/job and course/protocol into .course/cache, once for
 * each version of its sources, the JDK and the jars; and a class-data archive of what every job
 * loads, written by a trusted warm-up job (never by a job that runs submitted code, whose JVM
 * could write anything into it).
 */
public record JobModule(Path dir, Path archive) {

    public static JobModule prepare(Path root, ChildJvm jvm) throws IOException {
        List<Path> sources = new ArrayList<>(Sources.javaFiles(root.resolve("course/job")));
        sources.add(root.resolve("course/job/module-info.java"));
        sources.addAll(Sources.javaFiles(root.resolve("course/protocol")));
        sources = sources.stream().distinct().toList();
        String key = hash(sources, jvm);
        Path cache = root.resolve(".course/cache/job-" + key);
        Path module = cache.resolve("module");
        if (!Files.isRegularFile(module.resolve("module-info.class"))) compile(sources, jvm, cache, module);
        return new JobModule(module, cache.resolve("job.aot"));
    }

    private static void compile(List<Path> sources, ChildJvm jvm, Path cache, Path module) throws IOException {
        Path partial = Files.createDirectories(cache).resolve("module.partial-" + ProcessHandle.current().pid());
        Processes.deleteTree(partial);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> errors = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(errors, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", partial.toString(), "--module-path", ChildJvm.join(jvm.modulePath()),
                    "-proc:none", "-encoding", "UTF-8", "-Xlint:none", "-nowarn");
            boolean ok = javac.getTask(null, files, errors, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
            if (!ok) throw new IOException("the lesson job's runner does not compile: " + errors.getDiagnostics());
        }
        try {
            Files.move(partial, module, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            Processes.deleteTree(partial); // another run made it first: use theirs
        }
    }

    private static String hash(List<Path> sources, ChildJvm jvm) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path source : sources) {
                sha.update(source.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(source));
            }
            sha.update(System.getProperty("java.vm.version").getBytes(StandardCharsets.UTF_8));
            sha.update(ChildJvm.join(jvm.modulePath()).getBytes(StandardCharsets.UTF_8));
            sha.update(ChildJvm.join(jvm.classPath()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
