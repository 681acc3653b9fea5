import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Which lock, as the learner wrote it, is held at each use of a class's fields: for the
 * rule that no run on x86 can show (JLS 17.4): a field that threads share must be read and
 * written under one lock, or be volatile (or final, holding an atomic).
 *
 * A lock is its expression's text: {@code this} for a synchronized method or
 * {@code synchronized (this)} (also {@code Counter.this}), {@code Counter.class} for a static
 * synchronized method, {@code lock} for {@code synchronized (lock)} and for the statements
 * after {@code lock.lock()} up to {@code lock.unlock()} in the same block (read and write
 * locks of one ReadWriteLock count as that lock). A lock object made on the spot
 * ({@code synchronized (new Object())}) excludes nobody, so it is no lock here. The code of
 * a lambda or of an inner class runs who knows where: it holds no lock of its encloser.
 */
final class Guards {

    /** One use of a field: where, how, and the locks held there. */
    record Use(String field, String method, long line, boolean reads, boolean writes, Set<String> locks, String code) {

        boolean compound() {
            return reads && writes;
        }
    }

    /** {@code f.set(f.get() + 1)} and the like: two atomic steps where one is needed. */
    record SplitUpdate(String field, String method, long line, Set<String> locks, String code) {}

    final List<Use> uses = new ArrayList<>();
    final List<SplitUpdate> splitUpdates = new ArrayList<>();
    private final Source source;
    private final Set<String> fieldNames;

    private Guards(Source source, Set<String> fieldNames) {
        this.source = source;
        this.fieldNames = fieldNames;
    }

    /** The uses of {@code type}'s own fields in its methods (constructors and initializers left out). */
    static Guards of(Source source, ClassTree type) {
        Set<String> names = new HashSet<>();
        for (VariableTree field : Source.fields(type)) names.add(field.getName().toString());
        Guards guards = new Guards(source, names);
        for (Tree member : type.getMembers()) {
            if (member instanceof MethodTree method && !method.getName().contentEquals("<init>") && method.getBody() != null) {
                Deque<String> held = new ArrayDeque<>();
                if (method.getModifiers().getFlags().contains(Modifier.SYNCHRONIZED)) {
                    held.push(method.getModifiers().getFlags().contains(Modifier.STATIC)
                            ? type.getSimpleName() + ".class" : "this");
                }
                guards.new Scanner(method.getName().toString(), type.getSimpleName().toString(), held)
                        .scan(method.getBody(), null);
            }
        }
        return guards;
    }

    static boolean isVolatile(VariableTree field) {
        return field.getModifiers().getFlags().contains(Modifier.VOLATILE);
    }

    static boolean isFinal(VariableTree field) {
        return field.getModifiers().getFlags().contains(Modifier.FINAL);
    }

    List<Use> usesOf(String field) {
        return uses.stream().filter(use -> use.field().equals(field)).toList();
    }

    /** The locks held at every one of these uses (empty: no lock is common to all). */
    static Set<String> common(List<Use> uses) {
        Set<String> common = null;
        for (Use use : uses) {
            if (common == null) common = new HashSet<>(use.locks());
            else common.retainAll(use.locks());
        }
        return common == null ? Set.of() : common;
    }

    private final class Scanner extends TreeScanner<Void, Void> {
        private final String method;
        private final String typeName;
        private final Deque<String> held;
        private final Set<String> fresh = new HashSet<>();

        Scanner(String method, String typeName, Deque<String> held) {
            this.method = method;
            this.typeName = typeName;
            this.held = held;
        }

        private String lockName(ExpressionTree expression) {
            while (expression instanceof ParenthesizedTree parenthesized) expression = parenthesized.getExpression();
            if (expression instanceof NewClassTree) return null;
            String text = source.text(expression).replaceAll("\\s+", "");
            if (fresh.contains(text)) return null; // Object lock = new Object(); in the method: a new one per call
            if (text.equals(typeName + ".this")) return "this";
            text = text.replaceAll("\\.(readLock|writeLock|asReadLock|asWriteLock)\\(\\)$", "");
            // this.lock is lock; Race.LOCK is LOCK; Race.Counter.class is Counter.class
            text = text.replaceFirst("^this\\.", "");
            if (text.endsWith(".class")) return text.replaceFirst("^([A-Z]\\w*\\.)+(?=\\w+\\.class$)", "");
            return text.replaceFirst("^([A-Z]\\w*\\.)+(?=\\w+$)", "");
        }

        /** For {@code x.lock()}, {@code x.writeLock().lock()} and the like: x; else null. */
        private String lockCall(StatementTree statement, boolean unlock) {
            if (!(statement instanceof ExpressionStatementTree expression)
                    || !(expression.getExpression() instanceof MethodInvocationTree call)
                    || !(call.getMethodSelect() instanceof MemberSelectTree select)) {
                return null;
            }
            String name = select.getIdentifier().toString();
            boolean matches = unlock ? name.startsWith("unlock")
                    : name.equals("lock") || name.equals("lockInterruptibly") || name.equals("writeLock")
                            || name.equals("readLock");
            return matches ? lockName(select.getExpression()) : null;
        }

        @Override
        public Void visitBlock(BlockTree block, Void unused) {
            int pushed = 0;
            for (StatementTree statement : block.getStatements()) {
                String unlocked = lockCall(statement, true);
                if (unlocked != null && held.contains(unlocked) && pushed > 0) {
                    held.removeFirstOccurrence(unlocked);
                    pushed--;
                }
                scan(statement, null);
                String locked = lockCall(statement, false);
                if (locked != null) {
                    held.push(locked);
                    pushed++;
                }
            }
            for (; pushed > 0; pushed--) held.pop();
            return null;
        }

        @Override
        public Void visitSynchronized(SynchronizedTree tree, Void unused) {
            scan(tree.getExpression(), null);
            String lock = lockName(tree.getExpression());
            if (lock == null) return scan(tree.getBlock(), null); // a fresh object: no other thread can hold it
            held.push(lock);
            scan(tree.getBlock(), null);
            held.pop();
            return null;
        }

        @Override
        public Void visitVariable(VariableTree local, Void unused) {
            if (local.getInitializer() instanceof NewClassTree) fresh.add(local.getName().toString());
            return super.visitVariable(local, null);
        }

        @Override
        public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
            return outside(tree);
        }

        @Override
        public Void visitClass(ClassTree tree, Void unused) {
            return outside(tree);
        }

        private Void outside(Tree tree) {
            List<String> saved = new ArrayList<>(held);
            held.clear();
            if (tree instanceof LambdaExpressionTree lambda) scan(lambda.getBody(), null);
            else super.visitClass((ClassTree) tree, null);
            for (int i = saved.size() - 1; i >= 0; i--) held.push(saved.get(i));
            return null;
        }

        private String fieldOf(ExpressionTree tree) {
            while (tree instanceof ParenthesizedTree parenthesized) tree = parenthesized.getExpression();
            if (tree instanceof IdentifierTree identifier && fieldNames.contains(identifier.getName().toString())) {
                return identifier.getName().toString();
            }
            if (tree instanceof MemberSelectTree select && fieldNames.contains(select.getIdentifier().toString())) {
                String owner = source.text(select.getExpression()).replaceAll("\\s+", "");
                if (owner.equals("this") || owner.equals(typeName + ".this")) return select.getIdentifier().toString();
            }
            return null;
        }

        private void record(ExpressionTree target, boolean reads, boolean writes, Tree whole) {
            String field = fieldOf(target);
            if (field != null) {
                uses.add(new Use(field, method, source.line(whole), reads, writes, Set.copyOf(held),
                        source.text(whole).replaceAll("\\s+", " ")));
            }
        }

        @Override
        public Void visitAssignment(AssignmentTree tree, Void unused) {
            String field = fieldOf(tree.getVariable());
            // count = count + 1 reads and writes, like count++
            record(tree.getVariable(), field != null && mentions(tree.getExpression(), field), true, tree);
            if (fieldOf(tree.getVariable()) == null) scan(tree.getVariable(), null);
            scan(tree.getExpression(), null);
            return null;
        }

        @Override
        public Void visitCompoundAssignment(CompoundAssignmentTree tree, Void unused) {
            record(tree.getVariable(), true, true, tree);
            if (fieldOf(tree.getVariable()) == null) scan(tree.getVariable(), null);
            scan(tree.getExpression(), null);
            return null;
        }

        @Override
        public Void visitUnary(UnaryTree tree, Void unused) {
            boolean step = switch (tree.getKind()) {
                case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT -> true;
                default -> false;
            };
            if (step && fieldOf(tree.getExpression()) != null) {
                record(tree.getExpression(), true, true, tree);
                return null;
            }
            return super.visitUnary(tree, null);
        }

        @Override
        public Void visitIdentifier(IdentifierTree tree, Void unused) {
            record(tree, true, false, tree);
            return null;
        }

        @Override
        public Void visitMemberSelect(MemberSelectTree tree, Void unused) {
            if (fieldOf(tree) != null) {
                record(tree, true, false, tree);
                return null;
            }
            return super.visitMemberSelect(tree, null);
        }

        @Override
        public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
            // f.set(... f.get() ...): a read and a write of an atomic, each atomic, with a gap between.
            if (call.getMethodSelect() instanceof MemberSelectTree select && select.getIdentifier().toString().startsWith("set")
                    || call.getMethodSelect() instanceof MemberSelectTree lazy && lazy.getIdentifier().contentEquals("lazySet")) {
                MemberSelectTree select = (MemberSelectTree) call.getMethodSelect();
                String field = fieldOf(select.getExpression());
                if (field != null && call.getArguments().stream().anyMatch(argument -> readsAtomic(argument, field))) {
                    splitUpdates.add(new SplitUpdate(field, method, source.line(call), Set.copyOf(held),
                            source.text(call).replaceAll("\\s+", " ")));
                }
            }
            return super.visitMethodInvocation(call, null);
        }

        private boolean mentions(Tree tree, String field) {
            boolean[] found = new boolean[1];
            new TreeScanner<Void, Void>() {
                @Override
                public Void visitIdentifier(IdentifierTree identifier, Void unused) {
                    if (identifier.getName().contentEquals(field)) found[0] = true;
                    return null;
                }
            }.scan(tree, null);
            return found[0];
        }

        private boolean readsAtomic(Tree tree, String field) {
            boolean[] found = new boolean[1];
            new TreeScanner<Void, Void>() {
                @Override
                public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                    if (call.getMethodSelect() instanceof MemberSelectTree select
                            && select.getIdentifier().toString().startsWith("get")
                            && field.equals(fieldOf(select.getExpression()))) {
                        found[0] = true;
                    }
                    return super.visitMethodInvocation(call, null);
                }
            }.scan(tree, null);
            return found[0];
        }
    }
}
