package course;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiling lessons and tests with the JDK's compiler, and laying a wrong answer over a source. */
public final class Sources {

    private Sources() {}

    static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

    /** Compiles {@code files} into {@code classes}; returns the errors (empty when it compiled). */
    public static List<Events.Diagnostic> compile(List<Path> files, Path classes, String classPath,
                                                  java.util.Map<Path, String> displayNames) throws IOException {
        Files.createDirectories(classes);
        DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = JAVAC.getStandardFileManager(collector, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", classes.toString(), "-cp", classPath, "-proc:none",
                    "-encoding", "UTF-8", "-nowarn", "-Xlint:none", "-Xmaxerrs", "20");
            boolean ok = JAVAC.getTask(null, fileManager, collector, options, null,
                    fileManager.getJavaFileObjectsFromPaths(files)).call();
            List<Events.Diagnostic> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> diagnostic : collector.getDiagnostics()) {
                if (diagnostic.getKind() != Diagnostic.Kind.ERROR) continue;
                String file = "?";
                if (diagnostic.getSource() != null) {
                    Path path = Path.of(diagnostic.getSource().toUri());
                    file = displayNames.getOrDefault(path, path.getFileName().toString());
                }
                errors.add(new Events.Diagnostic(file, diagnostic.getLineNumber(), diagnostic.getMessage(Locale.ROOT)));
            }
            if (!ok && errors.isEmpty()) errors.add(new Events.Diagnostic("?", 0, "the compiler failed without a message"));
            return errors;
        }
    }

    /** The .java files directly in {@code folder}, sorted; none if it does not exist. */
    public static List<Path> javaFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(".java")).sorted(Comparator.naturalOrder()).toList();
        }
    }

    /**
     * Lays {@code overlay} over {@code base}: every member (method, field, nested type) of a
     * class in the overlay replaces the members of the same name in the same class of the
     * base, or is added to it; top-level types and imports the base lacks are added. This
     * is how a known-wrong answer, which holds only the members it gets wrong, becomes a
     * whole lesson to test.
     */
    public static String overlay(String base, String overlay) throws IOException {
        Parsed baseUnit = parse(base);
        Parsed overlayUnit = parse(overlay);
        List<Edit> edits = new ArrayList<>();
        StringBuilder newTypes = new StringBuilder();

        for (Tree overlayType : overlayUnit.unit.getTypeDecls()) {
            if (!(overlayType instanceof ClassTree overlayClass)) continue;
            ClassTree baseClass = baseUnit.unit.getTypeDecls().stream()
                    .filter(type -> type instanceof ClassTree c && c.getSimpleName().contentEquals(overlayClass.getSimpleName()))
                    .map(ClassTree.class::cast).findFirst().orElse(null);
            if (baseClass == null) {
                newTypes.append('\n').append(overlayUnit.text(overlayClass)).append('\n');
                continue;
            }
            StringBuilder added = new StringBuilder();
            for (Tree member : overlayClass.getMembers()) {
                String name = nameOf(member);
                if (name == null || name.equals("<init>") && isImplicitConstructor(overlayUnit, member)) continue;
                List<? extends Tree> replaced = baseClass.getMembers().stream().filter(m -> name.equals(nameOf(m))).toList();
                if (replaced.isEmpty()) {
                    added.append("\n    ").append(overlayUnit.text(member)).append('\n');
                } else {
                    edits.add(new Edit(baseUnit.start(replaced.get(0)), baseUnit.end(replaced.get(0)), overlayUnit.text(member)));
                    for (Tree extra : replaced.subList(1, replaced.size())) {
                        edits.add(new Edit(baseUnit.start(extra), baseUnit.end(extra), ""));
                    }
                }
            }
            if (!added.isEmpty()) {
                long closing = baseUnit.end(baseClass) - 1; // the class's closing brace
                edits.add(new Edit(closing, closing, added.toString()));
            }
        }
        StringBuilder imports = new StringBuilder();
        for (ImportTree importTree : overlayUnit.unit.getImports()) {
            String text = overlayUnit.text(importTree);
            if (!base.contains(text)) imports.append(text).append('\n');
        }
        edits.sort(Comparator.comparingLong(Edit::start).reversed());
        StringBuilder result = new StringBuilder(base);
        for (Edit edit : edits) result.replace((int) edit.start, (int) edit.end, edit.text);
        if (!imports.isEmpty()) {
            long at = baseUnit.unit.getImports().isEmpty()
                    ? baseUnit.start(baseUnit.unit.getTypeDecls().get(0))
                    : baseUnit.end(baseUnit.unit.getImports().get(baseUnit.unit.getImports().size() - 1)) + 1;
            result.insert((int) at, imports);
        }
        return result.append(newTypes).toString();
    }

    private record Edit(long start, long end, String text) {}

    private record Parsed(String source, CompilationUnitTree unit, SourcePositions positions) {
        long start(Tree tree) {
            return positions.getStartPosition(unit, tree);
        }

        long end(Tree tree) {
            return positions.getEndPosition(unit, tree);
        }

        String text(Tree tree) {
            return source.substring((int) start(tree), (int) end(tree));
        }
    }

    private static Parsed parse(String source) throws IOException {
        JavaFileObject file = new javax.tools.SimpleJavaFileObject(java.net.URI.create("string:///Overlay.java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavacTask task = (JavacTask) JAVAC.getTask(null, null, diagnostic -> {}, List.of("-proc:none"), null, List.of(file));
        CompilationUnitTree unit = task.parse().iterator().next();
        return new Parsed(source, unit, Trees.instance(task).getSourcePositions());
    }

    /** The first top-level class that declares a {@code main} method: the one JBang runs. */
    public static String mainClass(String source) throws IOException {
        for (Tree type : parse(source).unit.getTypeDecls()) {
            if (type instanceof ClassTree c && c.getMembers().stream()
                    .anyMatch(m -> m instanceof MethodTree method && method.getName().contentEquals("main"))) {
                return c.getSimpleName().toString();
            }
        }
        throw new IllegalArgumentException("no class with a main method");
    }

    private static String nameOf(Tree member) {
        return switch (member) {
            case MethodTree method -> method.getName().toString();
            case VariableTree variable -> variable.getName().toString();
            case ClassTree type -> type.getSimpleName().toString();
            default -> null;
        };
    }

    private static boolean isImplicitConstructor(Parsed parsed, Tree member) {
        return parsed.end(member) <= parsed.start(member) || parsed.start(member) < 0;
    }
}
