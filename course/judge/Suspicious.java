package course.judge;

import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreeScanner;
import course.engine.Sources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Code an instructor should look at: what reaches into the grader (reflection, Unsafe, agents,
 * the compiler, the process's own command line and memory, raw file descriptors) or writes
 * outside the submission's folder. Only what the course's own lesson file does not already do
 * is reported: the lessons' demos use some of these on purpose.
 */
public final class Suspicious {

    private Suspicious() {}

    /** Names worth a look, and what each is for. */
    static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("setAccessible", "reflection past access checks"),
            Map.entry("getDeclaredField", "reflection on private fields"),
            Map.entry("getDeclaredFields", "reflection on private fields"),
            Map.entry("getDeclaredMethod", "reflection on private methods"),
            Map.entry("privateLookupIn", "reflection past access checks"),
            Map.entry("addOpens", "opening a module"),
            Map.entry("Unsafe", "sun.misc.Unsafe"),
            Map.entry("instrument", "a Java agent (java.lang.instrument)"),
            Map.entry("Instrumentation", "a Java agent (java.lang.instrument)"),
            Map.entry("ToolProvider", "the compiler, in the JVM under test"),
            Map.entry("JavaCompiler", "the compiler, in the JVM under test"),
            Map.entry("info", "the process's command line (ProcessHandle...info())"),
            Map.entry("FileDescriptor", "raw standard output or error"),
            Map.entry("loadLibrary", "native code"),
            Map.entry("Linker", "native code"),
            Map.entry("halt", "Runtime.halt"));

    /** Findings in {@code submitted} that {@code shipped} (the course's lesson) does not have. */
    public static List<String> findings(String submitted, String shipped) {
        List<String> found = scan(submitted);
        List<String> known = new ArrayList<>(scan(shipped).stream().map(Suspicious::withoutLine).toList());
        List<String> left = new ArrayList<>();
        for (String finding : found) {
            if (!known.remove(withoutLine(finding))) left.add(finding);
        }
        return left;
    }

    static String withoutLine(String finding) {
        return finding.replaceFirst("^line \\d+: ", "");
    }

    static List<String> scan(String source) {
        Sources.Parsed parsed;
        try {
            parsed = Sources.parse(source);
        } catch (RuntimeException unparsable) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitMemberSelect(MemberSelectTree tree, Void unused) {
                note(tree, tree.getIdentifier().toString());
                return super.visitMemberSelect(tree, unused);
            }

            @Override
            public Void visitIdentifier(IdentifierTree tree, Void unused) {
                if (!tree.getName().contentEquals("info")) note(tree, tree.getName().toString());
                return super.visitIdentifier(tree, unused);
            }

            @Override
            public Void visitLiteral(LiteralTree tree, Void unused) {
                if (tree.getValue() instanceof String text && outside(text)) {
                    found.add("line " + parsed.line(tree) + ": the path \"" + text + "\" (outside the job's own folder)");
                }
                return super.visitLiteral(tree, unused);
            }

            void note(Tree tree, String name) {
                String why = NAMES.get(name);
                if (why != null) found.add("line " + parsed.line(tree) + ": " + name + " (" + why + ")");
            }
        }.scan(parsed.unit(), null);
        return found;
    }

    /** An absolute path other than /tmp and /dev/null, or one that climbs out with "..". */
    static boolean outside(String text) {
        if (text.contains("../") || text.startsWith("/proc") || text.contains("/proc/self")) return true;
        return text.startsWith("/") && text.length() > 1 && !text.startsWith("/tmp") && !text.equals("/dev/null")
                && !text.contains(" ") && text.matches("/[A-Za-z0-9._-]+(/.*)?");
    }
}
