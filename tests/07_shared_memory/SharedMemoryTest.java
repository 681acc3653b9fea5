import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreeScanner;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tests for the exercises of lessons/07_shared_memory.java. Tags name the exercise. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SharedMemoryTest {

    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    static final Duration CHILD_LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    // ---- 7.1 mapShared -------------------------------------------------------------------

    @Test
    @Tag("7.1")
    @DisplayName("7.1 two mappings of one file see each other's writes, both ways")
    void twoMappingsShareTheBytes() throws Exception {
        Path file = spaced().resolve("shared map.bin"); // does not exist yet
        try (Arena arena = Arena.ofShared()) {
            MemorySegment first = SharedMemory.mapShared(file, 4096, arena);
            MemorySegment second = SharedMemory.mapShared(file, 4096, arena);
            assertThat(first.byteSize()).as("the size of the segment mapShared(file, 4096, arena) returned").isEqualTo(4096);
            first.set(ValueLayout.JAVA_LONG, 4088, 0x1234_5678_9ABCL);
            assertThat(second.get(ValueLayout.JAVA_LONG, 4088))
                    .as("a long written through one mapping, read through a second mapping of the same file: "
                            + "is the mapping READ_WRITE (shared) rather than PRIVATE or a copy?")
                    .isEqualTo(0x1234_5678_9ABCL);
            second.set(ValueLayout.JAVA_INT, 0, -7);
            assertThat(first.get(ValueLayout.JAVA_INT, 0)).as("an int written through the second mapping, read through the first")
                    .isEqualTo(-7);
        }
        assertThat(Files.size(file)).as("the file's size after mapping 4096 bytes of it").isGreaterThanOrEqualTo(4096);
    }

    @Test
    @Tag("7.1")
    @DisplayName("7.1 keeps what the file already holds")
    void keepsExistingContent() throws Exception {
        Path file = dir.resolve("existing.bin");
        byte[] content = new byte[64];
        for (int i = 0; i < content.length; i++) content[i] = (byte) (i + 1);
        Files.write(file, content);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment segment = SharedMemory.mapShared(file, 64, arena);
            byte[] seen = segment.toArray(ValueLayout.JAVA_BYTE);
            assertThat(seen).as("the bytes of a file that held 1, 2, ..., 64 before mapShared: "
                    + "did you truncate or overwrite it?").isEqualTo(content);
        }
    }

    @Test
    @Tag("7.1")
    @DisplayName("7.1 an existing empty file: the mapping grows it, and reads as zeros")
    void mapsAnEmptyFile() throws Exception {
        Path file = Files.createFile(spaced().resolve("empty file.bin"));
        try (Arena arena = Arena.ofShared()) {
            MemorySegment segment = SharedMemory.mapShared(file, 256, arena);
            assertThat(segment.byteSize()).as("the size of the segment mapShared returned for an empty file and 256 bytes")
                    .isEqualTo(256);
            assertThat(segment.get(ValueLayout.JAVA_LONG, 248)).as("the last long of a freshly grown file").isZero();
            segment.set(ValueLayout.JAVA_LONG, 248, 77L);
        }
        assertThat(Files.size(file)).as("the size of a file that was empty, after mapping 256 bytes of it").isEqualTo(256);
    }

    /** A folder whose name holds spaces: paths reach child JVMs as arguments, and must survive intact. */
    Path spaced() throws java.io.IOException {
        return Files.createDirectories(dir.resolve("a folder with spaces"));
    }

    @Test
    @Tag("7.1")
    @DisplayName("7.1 a child JVM writes 3.1415927 and negates 0..9; the parent reads both through its own mapping")
    void childWritesParentReads() throws Exception {
        Path file = spaced().resolve("value and array.bin");
        try (Arena arena = Arena.ofShared()) {
            MemorySegment shared = SharedMemory.mapShared(file, 48, arena);
            shared.set(ValueLayout.JAVA_DOUBLE, 0, 0.0);
            for (int i = 0; i < 10; i++) shared.setAtIndex(ValueLayout.JAVA_INT, 2 + i, i);

            Jvm.Result child = Jvm.run(CHILD_LIMIT, SharedMemoryChild.class, "value-array", file.toString());
            assertThat(child.exitCode()).as("the child JVM (mapping the file with your mapShared and writing to it) "
                    + "ended with code %d%s; its output:%n%s", child.exitCode(),
                    child.timedOut() ? " (timed out)" : "", child.output()).isZero();

            int[] values = new int[10];
            for (int i = 0; i < 10; i++) values[i] = shared.getAtIndex(ValueLayout.JAVA_INT, 2 + i);
            assertThat(shared.get(ValueLayout.JAVA_DOUBLE, 0))
                    .as("the double the child wrote, read through the parent's mapping: "
                            + "a child's writes only reach the parent through a shared (READ_WRITE) mapping")
                    .isEqualTo(3.1415927);
            assertThat(values).as("the ints after the child negated them, read by the parent")
                    .isEqualTo(new int[] {0, -1, -2, -3, -4, -5, -6, -7, -8, -9});
        }
    }

    // ---- 7.2 increment -------------------------------------------------------------------

    @Test
    @Tag("7.2")
    @DisplayName("7.2 returns the new value and touches only the long at the offset")
    void incrementReturnsTheNewValue() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment segment = arena.allocate(256, 64);
            LONG.set(segment, 64L, 41L);
            assertThat(SharedMemory.increment(segment, 64)).as("increment of a long that held 41").isEqualTo(42);
            assertThat(SharedMemory.increment(segment, 64)).as("increment again").isEqualTo(43);
            assertThat(SharedMemory.increment(segment, 0)).as("increment of a long at offset 0 that held 0").isEqualTo(1);
            assertThat((long) LONG.get(segment, 64L)).as("the long at offset 64 after two increments").isEqualTo(43);
            assertThat((long) LONG.get(segment, 56L)).as("the long just before offset 64").isZero();
            assertThat((long) LONG.get(segment, 72L)).as("the long just after offset 64").isZero();
        }
    }

    @Test
    @Tag("7.2")
    @DisplayName("7.2 three child JVMs, 200,000 increments each, all at once: exactly 600,000, five rounds in a row")
    void exactAcrossProcesses() throws Exception {
        int children = 3;
        int perChild = 200_000;
        long expected = (long) children * perChild;
        Path file = spaced().resolve("counter file.bin");
        try (Arena arena = Arena.ofShared()) {
            MemorySegment shared = testMap(file, SharedMemoryChild.counter(SharedMemoryChild.ROUNDS + 1), arena);
            List<Process> processes = new ArrayList<>();
            List<Path> outputs = new ArrayList<>();
            try {
                for (int i = 0; i < children; i++) {
                    Path output = dir.resolve("child-" + i + ".txt");
                    outputs.add(output);
                    processes.add(new ProcessBuilder(Jvm.command(SharedMemoryChild.class, "counter", file.toString(),
                            String.valueOf(i), String.valueOf(perChild))).redirectErrorStream(true).redirectOutput(output.toFile()).start());
                }
                boolean allReady = Probe.eventually(() -> {
                    for (int i = 0; i < children; i++) {
                        if ((long) LONG.getAcquire(shared, SharedMemoryChild.READY + 8L * i) == 0) return false;
                    }
                    return true;
                });
                if (!allReady) fail("not all %d child JVMs mapped the file within %d s; their output:%n%s",
                        children, Probe.PATIENCE.toSeconds(), outputsOf(outputs));
                // Every child spins on the round number in the file: each round, they all go at once.
                for (int round = 1; round <= SharedMemoryChild.ROUNDS; round++) {
                    LONG.setRelease(shared, SharedMemoryChild.GO, (long) round);
                    long done = (long) round * children;
                    long deadline = System.nanoTime() + CHILD_LIMIT.toNanos();
                    while ((long) LONG.getAcquire(shared, SharedMemoryChild.DONE) < done) {
                        // (a child that ended with 0 has finished all its rounds; only a failed one counts)
                        if (System.nanoTime() > deadline
                                || processes.stream().anyMatch(process -> !process.isAlive() && process.exitValue() != 0)) {
                            fail("round %d: only %d of %d child JVMs finished their increments; their output:%n%s", round,
                                    (long) LONG.getAcquire(shared, SharedMemoryChild.DONE) - (done - children), children,
                                    outputsOf(outputs));
                        }
                        Thread.sleep(1); // latency only: the children run meanwhile
                    }
                    long total = (long) LONG.getVolatile(shared, SharedMemoryChild.counter(round));
                    if (total != expected) {
                        LONG.setRelease(shared, SharedMemoryChild.GO, -1L);
                        fail("round %d: %d child JVMs each called increment %,d times at the same moment: the counter "
                                + "ends at %,d, so %,d of %,d increments were lost. Is the read-add-write one atomic step "
                                + "(getAndAdd, or a compareAndSet retried until it succeeds)? A Java lock does not reach "
                                + "other processes.", round, children, perChild, total, expected - total, expected);
                    }
                }
                for (Process process : processes) {
                    assertThat(process.waitFor(CHILD_LIMIT.toMillis(), TimeUnit.MILLISECONDS))
                            .as("a child JVM ended after its last round").isTrue();
                }
            } finally {
                LONG.setRelease(shared, SharedMemoryChild.GO, -1L);
                for (Process process : processes) Jvm.end(process);
            }
        }
    }

    static String outputsOf(List<Path> outputs) throws java.io.IOException {
        StringBuilder text = new StringBuilder();
        for (Path output : outputs) {
            if (Files.exists(output)) text.append(output.getFileName()).append(":\n").append(Files.readString(output));
        }
        return text.toString();
    }

    /** Reads and writes of a VarHandle or a MemorySegment, in any access mode: two steps, never one. */
    static final Set<String> LOADS = Set.of("get", "getVolatile", "getAcquire", "getOpaque"),
            STORES = Set.of("set", "setVolatile", "setRelease", "setOpaque");

    @Test
    @Tag("7.2")
    @DisplayName("7.2 the source: increment is one atomic read-modify-write, or a compare-and-set retried until it succeeds")
    void incrementIsOneAtomicStep() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            SharedMemory.increment(arena.allocate(64, 64), 0); // the exercise is done (or says it is not)
        }
        Source source = Source.lesson();
        ClassTree type = source.type("SharedMemory").orElseThrow(() -> new AssertionError("no class SharedMemory in the lesson"));
        List<String> problems = new ArrayList<>();
        for (MethodTree method : Source.methods(type, "increment")) {
            if (method.getBody() == null) continue;
            List<MethodInvocationTree> loads = new ArrayList<>(), stores = new ArrayList<>(), unretried = new ArrayList<>();
            new TreeScanner<Void, Integer>() {
                @Override
                public Void visitMethodInvocation(MethodInvocationTree call, Integer loops) {
                    String name = calledName(call);
                    if (LOADS.contains(name) && call.getArguments().size() >= 2) loads.add(call);
                    if (STORES.contains(name) && call.getArguments().size() >= 3) stores.add(call);
                    if (name.matches("(weakC|c)ompareAnd(Set|Exchange)\\w*") && loops == 0) unretried.add(call);
                    return super.visitMethodInvocation(call, loops);
                }

                @Override
                public Void visitWhileLoop(com.sun.source.tree.WhileLoopTree loop, Integer loops) {
                    return super.visitWhileLoop(loop, loops + 1);
                }

                @Override
                public Void visitDoWhileLoop(com.sun.source.tree.DoWhileLoopTree loop, Integer loops) {
                    return super.visitDoWhileLoop(loop, loops + 1);
                }

                @Override
                public Void visitForLoop(com.sun.source.tree.ForLoopTree loop, Integer loops) {
                    return super.visitForLoop(loop, loops + 1);
                }
            }.scan(method.getBody(), 0);
            if (!loads.isEmpty() && !stores.isEmpty()) {
                problems.add(String.format("line %d reads the counter (`%s`) and line %d writes it (`%s`): two steps. Another "
                        + "process can add its 1 between them, and one of the two additions is lost%s. Use "
                        + "LONG.getAndAdd(shared, offset, 1L), one atomic step of the processor", source.line(loads.get(0)),
                        source.text(loads.get(0)), source.line(stores.get(0)), source.text(stores.get(0)),
                        source.text(method).matches("(?s).*\\bsynchronized\\b.*|.*\\.lock\\(\\).*")
                                ? " (a lock of this JVM does not reach the other processes)" : ""));
            }
            for (MethodInvocationTree call : unretried) {
                problems.add(String.format("line %d: `%s` is not retried: when another process changed the counter since "
                        + "you read it, it fails and returns false, and your increment is lost. Retry in a loop until it "
                        + "succeeds, or use LONG.getAndAdd(shared, offset, 1L)", source.line(call), source.text(call)));
            }
        }
        if (!problems.isEmpty()) {
            fail("the counter loses increments when processes call increment at the same moment (JLS 17.4: each read and "
                    + "each write is a separate action; only getAndAdd or a successful compareAndSet reads and writes as one)"
                    + ":%n  %s", String.join(String.format("%n  "), problems));
        }
    }

    // ---- 7.3 offer / poll ----------------------------------------------------------------

    @Test
    @Tag("7.3")
    @DisplayName("7.3 holds exactly capacity messages, returns them in order, says when full and when empty, lap after lap")
    void fullEmptyAndWrapAround() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment ring = ring(arena, 4);
            assertThat(SharedMemory.poll(ring)).as("poll on a new, empty ring").isEqualTo(-1);
            long next = 0;
            long expected = 0;
            // Fill levels 1, 2, 3, 4, 1, 2, ... so the indexes wrap at every position.
            for (int lap = 0; lap < 40; lap++) {
                int fill = 1 + lap % 4;
                for (int i = 0; i < fill; i++) {
                    long message = next++;
                    assertThat(SharedMemory.offer(ring, message))
                            .as("offer(%d) into a ring of capacity 4 holding %d unread messages", message, i).isTrue();
                }
                if (fill == 4) {
                    assertThat(SharedMemory.offer(ring, 999_999))
                            .as("offer into a full ring (4 unread messages, capacity 4): it must refuse, "
                                    + "not overwrite an unread slot").isFalse();
                }
                for (int i = 0; i < fill; i++) {
                    long polled = SharedMemory.poll(ring);
                    if (polled == -1) {
                        fail("poll returned -1 (empty) although the ring held %d unread message(s), the oldest being %d: "
                                + "is a message's value taken for 'empty'? A message is any long >= 0, 0 included; only "
                                + "the head and the tail say whether the ring is empty", fill - i, expected);
                    }
                    assertThat(polled).as("poll number %d, after %d messages offered in all (on lap %d, %d in the ring): "
                            + "messages come out in order, each once", expected, next, lap, fill - i).isEqualTo(expected);
                    expected++;
                }
                assertThat(SharedMemory.poll(ring)).as("poll on a ring that has just been emptied (after %d messages)", next)
                        .isEqualTo(-1);
            }
        }
    }

    @Test
    @Tag("7.3")
    @DisplayName("7.3 a producer thread and a consumer thread, a ring of 8: up to 500,000 messages (3 s), each once, in order")
    void producerAndConsumerThreads() throws Exception {
        long messages = 500_000;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment ring = ring(arena, 8);
            AtomicReference<String> producerProblem = new AtomicReference<>();
            Thread producer = Thread.ofPlatform().name("test-producer").daemon().start(() -> {
                for (long message = 0; message < messages && producerProblem.get() == null; message++) {
                    long deadline = System.nanoTime() + Probe.PATIENCE.toNanos();
                    int spins = 0;
                    while (!SharedMemory.offer(ring, message)) {
                        if (producerProblem.get() != null) return;
                        if (System.nanoTime() > deadline) {
                            producerProblem.set("offer(" + message + ") returned false for " + Probe.PATIENCE.toSeconds()
                                    + " s although the consumer kept polling");
                            return;
                        }
                        backOff(spins++);
                    }
                    pace();
                }
            });
            try {
                String problem = consume(ring, messages, producerProblem);
                if (problem != null) fail(problem);
            } finally {
                producerProblem.compareAndSet(null, "stopped");
                producer.join(Probe.PATIENCE.toMillis());
            }
        }
    }

    @Test
    @Tag("7.3")
    @DisplayName("7.3 a producer in a child JVM, the consumer here, a ring of 16 in a mapped file: up to 1,000,000 messages (5 s) in order")
    void producerInAChildJvm() throws Exception {
        long messages = 1_000_000;
        Path file = spaced().resolve("ring file.bin");
        try (Arena arena = Arena.ofShared()) {
            MemorySegment ring = testMap(file, SharedMemory.RING_DATA + 8 * 16, arena);
            assertThat(SharedMemory.ringCapacity(ring)).as("the ring's capacity").isEqualTo(16);
            Process process = new ProcessBuilder(Jvm.command(SharedMemoryChild.class, "ring-producer", file.toString(),
                    String.valueOf(messages))).redirectErrorStream(true).redirectOutput(dir.resolve("producer.txt").toFile()).start();
            AtomicReference<String> producerProblem = new AtomicReference<>();
            try {
                String problem = consume(ring, messages, producerProblem, process, Duration.ofSeconds(5));
                if (problem != null) {
                    Jvm.end(process);
                    fail(problem + "; the producer's output:%n%s", Files.readString(dir.resolve("producer.txt")));
                }
            } finally {
                Jvm.end(process);
            }
        }
    }

    /** VarHandle / MemorySegment access modes that neither order nor publish anything: plain and opaque. */
    static final Set<String> PLAIN_LOADS = Set.of("get", "getOpaque"), PLAIN_STORES = Set.of("set", "setOpaque");

    @Test
    @Tag("7.3")
    @DisplayName("7.3 the source: the tail is published with release and read with acquire, and so is the head (JLS 17.4)")
    void indexesAreReleasedAndAcquired() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            SharedMemory.poll(ring(arena, 4)); // the exercise is done (or says it is not)
        }
        Source source = Source.lesson();
        ClassTree type = source.type("SharedMemory").orElseThrow(() -> new AssertionError("no class SharedMemory in the lesson"));
        List<String> problems = new ArrayList<>();
        // Stores of either index, anywhere in the class: each is the other side's signal.
        for (MethodInvocationTree call : indexAccesses(type)) {
            String name = calledName(call), index = indexOf(source, call);
            if (PLAIN_STORES.contains(name) && !fenced(source, type, call)) {
                problems.add(String.format("line %d: `%s` stores %s with %s, which orders nothing. Nothing keeps the writes "
                        + "before it (%s) from becoming visible after it: under the Java memory model (JLS 17.4) "
                        + "such a write makes no happens-before edge, the JIT may reorder it, and so may an ARM "
                        + "processor. Publish it with LONG.setRelease(ring, %s, ...)", source.line(call), source.text(call),
                        index, name, index.equals("RING_TAIL") ? "the slot's message" : "the read of the slot", index));
            }
        }
        // Loads of the OTHER side's index: the tail in poll, the head in offer.
        for (String[] side : new String[][] {{"poll", "RING_TAIL"}, {"offer", "RING_HEAD"}}) {
            for (MethodTree method : Source.methods(type, side[0])) {
                for (MethodInvocationTree call : indexAccesses(method)) {
                    if (PLAIN_LOADS.contains(calledName(call)) && indexOf(source, call).equals(side[1])
                            && !fenced(source, method, call)) {
                        problems.add(String.format("line %d: %s reads %s with %s (`%s`), which orders nothing: it makes "
                                + "no happens-before edge with the other side's setRelease (JLS 17.4), so %s. Read it with "
                                + "LONG.getAcquire(ring, %s)", source.line(call),
                                side[0], side[1], calledName(call), source.text(call), side[0].equals("poll")
                                        ? "the message read after it may be the slot's old value"
                                        : "the producer may overwrite a slot the consumer is still reading", side[1]));
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            fail("x86 keeps these in order, so no run on this machine can show the bug, but the Java memory model "
                    + "does not promise it (and an ARM machine, or the JIT, breaks it):%n  %s",
                    String.join(String.format("%n  "), problems));
        }
    }

    /** Calls in `tree` at offset RING_HEAD or RING_TAIL, e.g. LONG.setRelease(ring, RING_TAIL, tail + 1). */
    static List<MethodInvocationTree> indexAccesses(Tree tree) {
        List<MethodInvocationTree> found = new ArrayList<>();
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                // (segment, offset, ...) for a VarHandle, (layout, offset, ...) for a MemorySegment
                List<? extends ExpressionTree> arguments = call.getArguments();
                if (arguments.size() >= 2 && arguments.get(1).toString().matches("(\\w+\\.)*RING_(HEAD|TAIL)")) {
                    found.add(call);
                }
                return super.visitMethodInvocation(call, unused);
            }
        }.scan(tree, null);
        return found;
    }

    static String calledName(MethodInvocationTree call) {
        return call.getMethodSelect() instanceof MemberSelectTree select ? select.getIdentifier().toString()
                : call.getMethodSelect().toString();
    }

    static String indexOf(Source source, MethodInvocationTree call) {
        return call.getArguments().get(1).toString().endsWith("RING_TAIL") ? "RING_TAIL" : "RING_HEAD";
    }

    /** True when the method holding `call` also calls a VarHandle fence: then plain accesses may be fenced by hand. */
    static boolean fenced(Source source, Tree scope, MethodInvocationTree call) {
        for (Tree member : scope instanceof ClassTree type ? type.getMembers() : List.of(scope)) {
            if (!(member instanceof MethodTree method) || method.getBody() == null) continue;
            String body = source.text(method.getBody());
            if (body.contains(source.text(call)) && body.matches("(?s).*\\b\\w*Fence\\s*\\(.*")) return true;
        }
        return false;
    }

    // ---- helpers -----------------------------------------------------------------------

    static String consume(MemorySegment ring, long messages, AtomicReference<String> producerProblem) {
        return consume(ring, messages, producerProblem, null, Duration.ofSeconds(3));
    }

    /** Polls up to `messages` messages, expecting 0, 1, 2, ...; the first problem, or null.
     *  It stops (with null) `budget` after the first message: a busy machine gets through
     *  fewer messages, and every one it gets is checked. */
    static String consume(MemorySegment ring, long messages, AtomicReference<String> producerProblem, Process producer,
                          Duration budget) {
        long previous = -1;
        long stopAt = Long.MAX_VALUE;
        for (long expected = 0; expected < messages; expected++) {
            if (expected == 1) stopAt = System.nanoTime() + budget.toNanos();
            if ((expected & 1023) == 0 && System.nanoTime() > stopAt) return null;
            long deadline = System.nanoTime() + Probe.PATIENCE.toNanos();
            long message;
            int spins = 0;
            while ((message = SharedMemory.poll(ring)) == -1) {
                String problem = producerProblem.get();
                if (problem != null) return "the producer failed: " + problem;
                if (producer != null && !producer.isAlive() && producer.exitValue() != 0) {
                    return "the producer JVM failed (exit code " + producer.exitValue() + ") after the consumer got "
                            + String.format("%,d", expected) + " messages";
                }
                if (System.nanoTime() > deadline) {
                    return String.format("poll kept returning -1 (empty) for %d s after %,d of %,d messages: "
                            + "did the producer publish them (and does poll read what offer wrote)?",
                            Probe.PATIENCE.toSeconds(), expected, messages);
                }
                backOff(spins++);
            }
            if (message != expected) {
                return String.format("message number %,d arrived as %,d (the one before it was %,d). %s", expected, message,
                        previous, message < expected
                                ? "An old value: the consumer read a slot before the producer's write to it was visible "
                                        + "(is the tail published with setRelease after the slot is written, and read with getAcquire?), "
                                        + "or a message was delivered twice"
                                : "Messages were skipped: an unread slot was overwritten, or the wrap-around is off");
            }
            previous = message;
        }
        return null;
    }

    /** Spin a while, then give the core away: on a busy 2-core machine the other side may need it. */
    static void backOff(int spins) {
        if (spins < 5_000) Thread.onSpinWait();
        else Thread.yield();
    }

    /** The producer pauses a moment after each message, so that the ring is mostly empty and
     *  the consumer is polling right when a message is published: the moment a wrong order shows. */
    static void pace() {
        for (int i = 0; i < 8; i++) Thread.onSpinWait();
    }

    /** A zeroed ring of `capacity` slots, aligned for atomic access. */
    static MemorySegment ring(Arena arena, int capacity) {
        MemorySegment ring = arena.allocate(SharedMemory.RING_DATA + 8L * capacity, 64);
        ring.fill((byte) 0);
        return ring;
    }

    /** The test's own mapping of a zeroed file, so that 7.2 and 7.3 do not depend on 7.1. */
    static MemorySegment testMap(Path file, long bytes, Arena arena) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
            segment.fill((byte) 0);
            return segment;
        }
    }
}
