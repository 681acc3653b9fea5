package course.engine;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tests of a lesson as the tool reads them from their sources, never from the job: which
 * tests exist, in which order, for which exercise, under which name, with which code. The job's
 * own plan must agree with it, results are reported in its order, and a result for a test it
 * does not know is a tampered result.
 */
public final class TestPlan {

    private TestPlan() {}

    /** One test method. {@code code} is its body as written; {@code exercise} its @Tag. */
    public record TestCase(String className, String method, String displayName, String exercise, int order,
                           String code, String file, long line) {

        public String key() {
            return className + "#" + method;
        }
    }

    /** The @Test methods of every *Test class in {@code testDir}, in file and source order. */
    public static List<TestCase> read(Path testDir) throws IOException {
        List<TestCase> tests = new ArrayList<>();
        for (Path file : Sources.javaFiles(testDir)) {
            String name = file.getFileName().toString().replace(".java", "");
            if (!name.endsWith("Test")) continue;
            Sources.Parsed parsed = Sources.parse(Files.readString(file));
            for (Tree type : parsed.unit().getTypeDecls()) {
                if (type instanceof ClassTree testClass) read(parsed, testClass, file, tests);
            }
        }
        return List.copyOf(tests);
    }

    private static void read(Sources.Parsed parsed, ClassTree testClass, Path file, List<TestCase> tests) {
        String className = testClass.getSimpleName().toString();
        for (Tree member : testClass.getMembers()) {
            if (!(member instanceof MethodTree method) || annotation(method, "Test").isEmpty()) continue;
            String display = annotation(method, "DisplayName").flatMap(TestPlan::value).orElse(method.getName() + "()");
            String exercise = annotation(method, "Tag").flatMap(TestPlan::value).orElse(null);
            String code = method.getBody() == null ? "" : body(parsed, method);
            tests.add(new TestCase(className, method.getName().toString(), display, exercise, tests.size(), code,
                    file.getParent().getFileName() + "/" + file.getFileName(), parsed.line(method)));
        }
    }

    /** The body without its braces, de-indented, as Exercism's test_code shows it. */
    private static String body(Sources.Parsed parsed, MethodTree method) {
        String text = parsed.text(method.getBody()).strip();
        text = text.substring(1, text.length() - 1);
        List<String> lines = text.lines().dropWhile(String::isBlank).toList();
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        return String.join("\n", lines.stream().map(l -> l.length() >= indent ? l.substring(indent) : l.strip()).toList())
                .strip();
    }

    private static Optional<AnnotationTree> annotation(MethodTree method, String simpleName) {
        return method.getModifiers().getAnnotations().stream()
                .filter(a -> a.getAnnotationType().toString().equals(simpleName)
                        || a.getAnnotationType().toString().endsWith("." + simpleName))
                .map(AnnotationTree.class::cast).findFirst();
    }

    private static Optional<String> value(AnnotationTree annotation) {
        for (ExpressionTree argument : annotation.getArguments()) {
            ExpressionTree value = argument instanceof AssignmentTree assignment ? assignment.getExpression() : argument;
            return Optional.ofNullable(constant(value));
        }
        return Optional.empty();
    }

    /** A string literal, or literals joined with +; null for anything else. */
    private static String constant(ExpressionTree expression) {
        if (expression instanceof LiteralTree literal && literal.getValue() instanceof String text) return text;
        if (expression instanceof BinaryTree plus && plus.getKind() == Tree.Kind.PLUS) {
            String left = constant(plus.getLeftOperand());
            String right = constant(plus.getRightOperand());
            return left == null || right == null ? null : left + right;
        }
        if (expression instanceof ParenthesizedTree parenthesized) return constant(parenthesized.getExpression());
        return null;
    }
}
