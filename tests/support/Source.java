import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The learner's lesson source, parsed with javac's own trees, for the few mistakes that no
 * run on x86 can show (a missing volatile, a plain read where an acquire is needed). The
 * course tool puts the path of the source under test in the system property
 * {@code course.source}.
 */
final class Source {

    final String text;
    final CompilationUnitTree unit;
    final SourcePositions positions;

    private Source(String text, CompilationUnitTree unit, SourcePositions positions) {
        this.text = text;
        this.unit = unit;
        this.positions = positions;
    }

    /** The lesson source that is being tested. */
    static Source lesson() throws IOException {
        String path = System.getProperty("course.source");
        if (path == null) throw new IllegalStateException("no course.source property: run the tests through ./jbang check");
        return parse(Files.readString(Path.of(path)));
    }

    static Source parse(String text) {
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Lesson.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
        JavacTask task = (JavacTask) ToolProvider.getSystemJavaCompiler()
                .getTask(null, null, diagnostic -> {}, List.of("-proc:none"), null, List.of(file));
        try {
            CompilationUnitTree unit = task.parse().iterator().next();
            return new Source(text, unit, Trees.instance(task).getSourcePositions());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The class with this simple name, at any depth (e.g. "Counter" for Race.Counter). */
    Optional<ClassTree> type(String simpleName) {
        List<ClassTree> found = new ArrayList<>();
        for (Tree type : unit.getTypeDecls()) collect(type, simpleName, found);
        return found.stream().findFirst();
    }

    private static void collect(Tree tree, String simpleName, List<ClassTree> found) {
        if (!(tree instanceof ClassTree type)) return;
        if (type.getSimpleName().contentEquals(simpleName)) found.add(type);
        for (Tree member : type.getMembers()) collect(member, simpleName, found);
    }

    static List<MethodTree> methods(ClassTree type, String name) {
        return type.getMembers().stream().filter(m -> m instanceof MethodTree method && method.getName().contentEquals(name))
                .map(MethodTree.class::cast).toList();
    }

    static List<VariableTree> fields(ClassTree type) {
        return type.getMembers().stream().filter(VariableTree.class::isInstance).map(VariableTree.class::cast).toList();
    }

    /** The source text of a tree, as the learner wrote it. */
    String text(Tree tree) {
        return text.substring((int) positions.getStartPosition(unit, tree), (int) positions.getEndPosition(unit, tree));
    }

    /** The 1-based line a tree starts on, for messages that point the learner at their code. */
    long line(Tree tree) {
        return unit.getLineMap().getLineNumber(positions.getStartPosition(unit, tree));
    }
}
