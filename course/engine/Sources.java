package course.engine;

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
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/** Java sources as javac's trees: parsing, the main class, and laying a wrong answer over a lesson. */
public final class Sources {

    private Sources() {}

    /** A parsed source, with the positions of its trees. */
    public record Parsed(String source, CompilationUnitTree unit, SourcePositions positions) {
        public long start(Tree tree) {
            return positions.getStartPosition(unit, tree);
        }

        public long end(Tree tree) {
            return positions.getEndPosition(unit, tree);
        }

        public String text(Tree tree) {
            return source.substring((int) start(tree), (int) end(tree));
        }

        public long line(Tree tree) {
            return unit.getLineMap().getLineNumber(start(tree));
        }
    }

    public static Parsed parse(String source) {
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Source.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavacTask task = (JavacTask) ToolProvider.getSystemJavaCompiler()
                .getTask(null, null, diagnostic -> {}, List.of("-proc:none"), null, List.of(file));
        try {
            CompilationUnitTree unit = task.parse().iterator().next();
            return new Parsed(source, unit, Trees.instance(task).getSourcePositions());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The .java files directly in {@code folder}, sorted; none if it does not exist. */
    public static List<Path> javaFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** The first top-level class that declares a {@code main} method: the one JBang runs. */
    public static String mainClass(String source) {
        for (Tree type : parse(source).unit().getTypeDecls()) {
            if (type instanceof ClassTree c && c.getMembers().stream()
                    .anyMatch(m -> m instanceof MethodTree method && method.getName().contentEquals("main"))) {
                return c.getSimpleName().toString();
            }
        }
        throw new IllegalArgumentException("no class with a main method");
    }

    /**
     * Lays {@code overlay} over {@code base}: every member (method, field, nested type) of a class
     * in the overlay replaces the members of the same name in the same class of the base, or is
     * added to it; top-level types and imports the base lacks are added. This is how a known-wrong
     * answer, which holds only the members it gets wrong, becomes a whole lesson to test.
     */
    public static String overlay(String base, String overlay) {
        Parsed baseUnit = parse(base);
        Parsed overlayUnit = parse(overlay);
        List<Edit> edits = new ArrayList<>();
        StringBuilder newTypes = new StringBuilder();
        for (Tree overlayType : overlayUnit.unit().getTypeDecls()) {
            if (!(overlayType instanceof ClassTree overlayClass)) continue;
            ClassTree baseClass = baseUnit.unit().getTypeDecls().stream()
                    .filter(t -> t instanceof ClassTree c && c.getSimpleName().contentEquals(overlayClass.getSimpleName()))
                    .map(ClassTree.class::cast).findFirst().orElse(null);
            if (baseClass == null) {
                newTypes.append('\n').append(overlayUnit.text(overlayClass)).append('\n');
            } else {
                replaceMembers(baseUnit, baseClass, overlayUnit, overlayClass, edits);
            }
        }
        StringBuilder imports = new StringBuilder();
        for (ImportTree importTree : overlayUnit.unit().getImports()) {
            String text = overlayUnit.text(importTree);
            if (!base.contains(text)) imports.append(text).append('\n');
        }
        edits.sort(Comparator.comparingLong(Edit::start).reversed());
        StringBuilder result = new StringBuilder(base);
        for (Edit edit : edits) result.replace((int) edit.start, (int) edit.end, edit.text);
        if (!imports.isEmpty()) {
            List<? extends ImportTree> baseImports = baseUnit.unit().getImports();
            long at = baseImports.isEmpty() ? baseUnit.start(baseUnit.unit().getTypeDecls().get(0))
                    : baseUnit.end(baseImports.get(baseImports.size() - 1)) + 1;
            result.insert((int) at, imports);
        }
        return result.append(newTypes).toString();
    }

    private static void replaceMembers(Parsed baseUnit, ClassTree baseClass, Parsed overlayUnit, ClassTree overlayClass,
                                       List<Edit> edits) {
        StringBuilder added = new StringBuilder();
        for (Tree member : overlayClass.getMembers()) {
            String name = nameOf(member);
            if (name == null || name.equals("<init>") && isImplicit(overlayUnit, member)) continue;
            List<? extends Tree> replaced = baseClass.getMembers().stream().filter(m -> name.equals(nameOf(m))).toList();
            if (replaced.isEmpty()) {
                added.append("\n    ").append(overlayUnit.text(member)).append('\n');
                continue;
            }
            edits.add(new Edit(baseUnit.start(replaced.get(0)), baseUnit.end(replaced.get(0)), overlayUnit.text(member)));
            for (Tree extra : replaced.subList(1, replaced.size())) {
                edits.add(new Edit(baseUnit.start(extra), baseUnit.end(extra), ""));
            }
        }
        if (!added.isEmpty()) {
            long closing = baseUnit.end(baseClass) - 1; // the class's closing brace
            edits.add(new Edit(closing, closing, added.toString()));
        }
    }

    private record Edit(long start, long end, String text) {}

    private static String nameOf(Tree member) {
        return switch (member) {
            case MethodTree method -> method.getName().toString();
            case VariableTree variable -> variable.getName().toString();
            case ClassTree type -> type.getSimpleName().toString();
            default -> null;
        };
    }

    private static boolean isImplicit(Parsed parsed, Tree member) {
        return parsed.end(member) <= parsed.start(member) || parsed.start(member) < 0;
    }
}
