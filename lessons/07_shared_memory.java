///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//MAIN SharedMemory

/* ------------------------------------------------------------------------------------
 * Lesson 07: shared memory.
 *
 * Threads share everything; processes share nothing. How do two JVMs share memory
 * anyway, and how do they update it and hand data over safely?
 *
 *     ./jbang lessons/07_shared_memory.java     run this lesson (add --quick for a short run)
 *     ./jbang check 07                          check your answers to the exercises at the end
 *     ./jbang hint 7.1                          a hint for exercise 7.1, one layer per call
 *
 * Python's multiprocessing gives a child process a `Value` and an `Array` that live in
 * shared memory. The JDK's answer is the Foreign Function & Memory API: two processes
 * map the same file, and each gets a `MemorySegment` over the very same bytes. This
 * lesson starts child JVMs of its own class (`java -cp <class path> SharedMemory <role>
 * <file>`) and ends every one of them before it exits. Every number it prints was
 * measured just now, on your machine.
 * ------------------------------------------------------------------------------------ */

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Stream;

class SharedMemory {

    // A child JVM gets the parent's start time, so that all lines share one clock.
    static final long START = Long.getLong("lesson.start", System.nanoTime());
    static boolean quick;

    // A view of 8 bytes of a segment as a long, and of 4 bytes as an int. The coordinates
    // are (MemorySegment, long byteOffset); the access mode is picked per call: get/set
    // are plain, getAcquire/setRelease are ordered, getAndAdd/compareAndSet are atomic.
    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    // How long any wait in this lesson may last before it gives up: nothing can hang.
    static final Duration PATIENCE = Duration.ofSeconds(10);

    // Every child process this lesson starts, so that main can end them all, come what may.
    static final List<Process> children = new ArrayList<>();
    static Path workDir;

    // Every line says when it was printed (milliseconds since the start) and by which
    // thread; a child JVM names its main thread after its role, e.g. "child-writer".
    static void log(String message) {
        long millis = (System.nanoTime() - START) / 1_000_000;
        System.out.printf("%6d ms  %-16s %s%n", millis, Thread.currentThread().getName(), message);
    }

    static void main(String[] args) throws Exception {
        if (args.length > 0 && !args[0].startsWith("--")) {
            child(args);
            return;
        }
        quick = List.of(args).contains("--quick");
        workDir = Files.createTempDirectory("lesson07-");
        try {
            threadsShareTheHeap();
            aValueAndAnArray();
            countersAcrossProcesses();
            misalignedAtomics();
            publishingSafely();
            handoffSpeed();
        } finally {
            for (Process child : children) {
                child.descendants().forEach(ProcessHandle::destroyForcibly);
                child.destroyForcibly();
                child.waitFor(5, TimeUnit.SECONDS);
            }
            try (Stream<Path> files = Files.walk(workDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
        System.out.println();
        System.out.println("Now the exercises at the end of this file: ./jbang check 07");
    }

    static void section(String title) {
        System.out.printf("%n== %s ==%n", title);
    }

    /* ---------------------------------------------------------------------------------
     * Threads of one JVM share the whole heap.
     *
     * Any object one thread can reach, every thread can reach: no copying, no mapping,
     * nothing to set up. That is what makes threads easy, and it is also the danger
     * lesson 03 showed: `slots[0]++` is a read, an add and a write, and two threads
     * interleave them ("thread A reads 5, thread B reads 5, both write 6": one update
     * lost). `volatile` makes every write visible to every reader at once, but it does
     * not make read-add-write one step, so it loses updates too. The atomic classes do:
     * `AtomicIntegerArray.incrementAndGet(i)` is a single indivisible step per slot.
     *
     * Hence the default advice: avoid shared mutable state. Every shared field is a place
     * where a lost update, a stale read or lock contention can hide, and a lucky run
     * (like some of the lines below) shows none of them. Give each thread its own
     * data and combine the results at the end (lesson 01's parallelSum), or pass
     * messages through a queue (lesson 06 does it between processes). Share only what
     * must be shared, and then only through something built for it.
     * --------------------------------------------------------------------------------- */
    static int[] plainSlots = new int[1];
    static volatile int volatileCounter;

    static void threadsShareTheHeap() throws InterruptedException {
        section("Threads share the heap");
        int perThread = quick ? 200_000 : 1_000_000;
        int expected = 2 * perThread;
        AtomicIntegerArray atomicSlots = new AtomicIntegerArray(1);

        // A race needs the two threads to overlap; if they did not, we try again, a few
        // times within a second.
        long budget = System.nanoTime() + 1_000_000_000L;
        int attempts = 0;
        do {
            attempts++;
            plainSlots[0] = 0;
            volatileCounter = 0;
            runTwice("plain-adder", () -> { for (int i = 0; i < perThread; i++) plainSlots[0]++; });
            runTwice("volatile-adder", () -> { for (int i = 0; i < perThread; i++) volatileCounter++; });
        } while ((plainSlots[0] == expected || volatileCounter == expected) && attempts < 5 && System.nanoTime() < budget);
        runTwice("atomic-adder", () -> { for (int i = 0; i < perThread; i++) atomicSlots.incrementAndGet(0); });
        log("two threads, " + String.format("%,d", perThread) + " increments each (attempt " + attempts + "):");

        log(String.format("plain int[] slot:        %,d of %,d (%s)", plainSlots[0], expected, lost(expected, plainSlots[0])));
        log(String.format("volatile int:            %,d of %,d (%s)", volatileCounter, expected, lost(expected, volatileCounter)));
        log(String.format("AtomicIntegerArray slot: %,d of %,d (%s)", atomicSlots.get(0), expected, lost(expected, atomicSlots.get(0))));
        if (plainSlots[0] == expected || volatileCounter == expected) {
            log("(none lost means the two loops did not overlap this time: on a busy machine the threads may "
                    + "take turns on one core, and the JIT compiler may turn the plain loop into one big add)");
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Threads share the heap ==
     *   244 ms  main             two threads, 200,000 increments each (attempt 5):
     * ? 245 ms  main             plain int[] slot:        400,000 of 400,000 (none lost this time)
     * ? 245 ms  main             volatile int:            400,000 of 400,000 (none lost this time)
     *   246 ms  main             AtomicIntegerArray slot: 400,000 of 400,000 (none lost this time)
     *   ...
     */

    static void runTwice(String name, Runnable task) throws InterruptedException {
        Thread first = Thread.ofPlatform().name(name + "-1").start(task);
        Thread second = Thread.ofPlatform().name(name + "-2").start(task);
        first.join();
        second.join();
    }

    static String lost(long expected, long actual) {
        if (actual == expected) return "none lost this time";
        return String.format("lost %,d of %,d increments", expected - actual, expected);
    }

    /* ---------------------------------------------------------------------------------
     * Processes share nothing, unless they map the same memory.
     *
     * A child JVM is a new program with a heap of its own: nothing the parent has in
     * its objects is there. To share, both processes map one file into memory with
     * `FileChannel.map(MapMode.READ_WRITE, 0, size, arena)`. The operating system backs
     * both mappings with the same physical pages, so a write by one process is there for
     * the other to read, with no copy and no system call. The `Arena` decides how long
     * the mapping lives: closing it unmaps the file.
     *
     * Our layout is Python's `Value('d')` and `Array('i', range(10))`: a double at byte 0,
     * then ten ints from byte 8. The parent fills it, the child writes pi and negates the
     * array, and the parent reads the result through its own mapping.
     * --------------------------------------------------------------------------------- */
    static int heapCounter;

    static void aValueAndAnArray() throws Exception {
        section("Two processes, one mapped file: a Value and an Array");
        Path file = workDir.resolve("value-and-array");
        heapCounter = 42;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment shared = map(file, 8 + 4 * 10, arena);
            shared.set(ValueLayout.JAVA_DOUBLE, 0, 0.0);
            for (int i = 0; i < 10; i++) shared.setAtIndex(ValueLayout.JAVA_INT, 2 + i, i);
            log("parent: heapCounter = " + heapCounter + "; mapped " + shared.byteSize()
                    + " bytes holding 0.0 and " + Arrays.toString(readInts(shared)));

            int exit = awaitChild(startChild("value-array", file.toString()));
            log("parent: child exited with " + exit + "; reading our own mapping again:");
            log(String.valueOf(shared.get(ValueLayout.JAVA_DOUBLE, 0)));
            log(Arrays.toString(readInts(shared)));
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Two processes, one mapped file: a Value and an Array ==
     *   273 ms  main             parent: heapCounter = 42; mapped 48 bytes holding 0.0 and [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
     *   431 ms  child-value-array child: my heapCounter = 0: the parent's 42 is not in my heap
     *   463 ms  child-value-array child: wrote 3.1415927 and negated the ints, in the mapped file
     *   499 ms  main             parent: child exited with 0; reading our own mapping again:
     *   501 ms  main             3.1415927
     *   501 ms  main             [0, -1, -2, -3, -4, -5, -6, -7, -8, -9]
     */

    static void valueArrayChild(Path file) throws IOException {
        log("child: my heapCounter = " + heapCounter + ": the parent's 42 is not in my heap");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment shared = map(file, 8 + 4 * 10, arena);
            shared.set(ValueLayout.JAVA_DOUBLE, 0, 3.1415927);
            for (int i = 0; i < 10; i++) {
                int value = shared.getAtIndex(ValueLayout.JAVA_INT, 2 + i);
                shared.setAtIndex(ValueLayout.JAVA_INT, 2 + i, -value);
            }
            log("child: wrote 3.1415927 and negated the ints, in the mapped file");
        }
    }

    static int[] readInts(MemorySegment shared) {
        int[] values = new int[10];
        for (int i = 0; i < 10; i++) values[i] = shared.getAtIndex(ValueLayout.JAVA_INT, 2 + i);
        return values;
    }

    // Maps `bytes` bytes of `file` read-write and shared with every other process that
    // maps it. (Exercise 7.1 asks you to write this yourself; here it is given.)
    static MemorySegment map(Path file, long bytes, Arena arena) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
        }
    }

    /* ---------------------------------------------------------------------------------
     * Atomic operations across processes.
     *
     * Shared memory brings back every race of lesson 03, now between processes, where
     * no `synchronized` can reach: a Java lock lives in one JVM's heap. Three child JVMs
     * add to one long in the mapped file. First with plain `get` and `set` through the
     * VarHandle: "child 1 reads 7, child 2 reads 7, both write 8". So that the children
     * really overlap, each one says it is ready in the file and then spins until the
     * parent raises a start flag there.
     *
     * Then with `getAndAdd`, an atomic access mode: the processor does the read, add and
     * write as one locked instruction on that cache line (`lock xadd` on x86), and it
     * works across processes because the hardware, not the JVM, enforces it.
     * --------------------------------------------------------------------------------- */
    static final long COUNTER = 0, GO = 64, READY = 128; // byte offsets in the counter file

    static void countersAcrossProcesses() throws Exception {
        section("Atomic operations across processes");
        int children = 3;
        long perChild = quick ? 200_000 : 1_000_000;
        long expected = children * perChild;
        for (String mode : List.of("plain", "atomic")) {
            long total = countInChildren(mode, children, perChild);
            log(String.format("%-15s %d child JVMs x %,d increments = %,d (%s)",
                    mode.equals("plain") ? "plain get/set:" : "getAndAdd:", children, perChild, total,
                    lost(expected, total)));
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Atomic operations across processes ==
     * ? 1112 ms  main             plain get/set:  3 child JVMs x 200,000 increments = 423,616 (lost 176,384 of 600,000 increments)
     *   1913 ms  main             getAndAdd:      3 child JVMs x 200,000 increments = 600,000 (none lost this time)
     */

    static long countInChildren(String mode, int children, long perChild) throws Exception {
        Path file = workDir.resolve("counter-" + mode);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment shared = map(file, READY + 8 * children, arena);
            shared.fill((byte) 0);
            List<Process> started = new ArrayList<>();
            for (int i = 0; i < children; i++) {
                started.add(startChild("counter", file.toString(), mode, String.valueOf(i), String.valueOf(perChild)));
            }
            // Wait (bounded) until every child has mapped the file and is spinning, then go.
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            for (int i = 0; i < children; i++) {
                while ((long) LONG.getAcquire(shared, READY + 8L * i) == 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
            LONG.setRelease(shared, GO, 1L);
            for (Process child : started) awaitChild(child);
            return (long) LONG.getVolatile(shared, COUNTER);
        }
    }

    static void counterChild(Path file, boolean atomic, int index, long increments) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment shared = map(file, READY + 8L * (index + 1), arena);
            LONG.setRelease(shared, READY + 8L * index, 1L);
            spinUntil(() -> (long) LONG.getAcquire(shared, GO) != 0, "the start flag");
            if (atomic) {
                for (long i = 0; i < increments; i++) LONG.getAndAdd(shared, COUNTER, 1L);
            } else {
                for (long i = 0; i < increments; i++) {
                    long value = (long) LONG.get(shared, COUNTER);
                    LONG.set(shared, COUNTER, value + 1);
                }
            }
        }
    }

    /* ---------------------------------------------------------------------------------
     * Atomic access needs aligned addresses.
     *
     * A locked instruction works on a naturally aligned value: a long at an address
     * that is a multiple of 8. A long that straddles two cache lines cannot be updated
     * as one indivisible step. The FFM API does not leave this to luck or to the
     * processor: its specification (the javadoc of `MemoryLayout.varHandle` and
     * `ValueLayout`) says that an access through an aligned layout such as `JAVA_LONG`
     * at a misaligned address throws `IllegalArgumentException`, and that a layout whose
     * alignment is smaller than its size, such as `JAVA_LONG_UNALIGNED`, offers plain
     * `get` and `set` only: every other access mode throws, even at an aligned offset.
     * So the same code fails the same way on every machine. Lay out shared structures
     * with every atomic field at a multiple of its size (we put ours at multiples of 64,
     * one per cache line, so that two busy fields do not share a line either).
     * --------------------------------------------------------------------------------- */
    static void misalignedAtomics() {
        section("Alignment rules for atomic access");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(64, 8);
            VarHandle unaligned = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();
            unaligned.set(segment, 4L, 7L);
            log("plain write of a long at offset 4 with JAVA_LONG_UNALIGNED: fine, it reads back "
                    + (long) unaligned.get(segment, 4L));
            for (long offset : new long[] {4, 8}) {
                try {
                    unaligned.getAndAdd(segment, offset, 1L);
                    log("JAVA_LONG_UNALIGNED getAndAdd at offset " + offset + " worked on this JDK");
                } catch (RuntimeException e) {
                    log("JAVA_LONG_UNALIGNED getAndAdd at offset " + offset + " threw " + describe(e));
                }
            }
            try {
                LONG.getAndAdd(segment, 4L, 1L);
                log("JAVA_LONG getAndAdd at offset 4 worked on this JDK");
            } catch (RuntimeException e) {
                log("JAVA_LONG getAndAdd at offset 4 threw " + describe(e));
            }
            LONG.getAndAdd(segment, 8L, 1L);
            log("getAndAdd at offset 8 (aligned): fine, it reads back " + (long) LONG.getVolatile(segment, 8L));
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Alignment rules for atomic access ==
     *   1917 ms  main             plain write of a long at offset 4 with JAVA_LONG_UNALIGNED: fine, it reads back 7
     *   1926 ms  main             JAVA_LONG_UNALIGNED getAndAdd at offset 4 threw UnsupportedOperationException: getAndAdd
     *   1926 ms  main             JAVA_LONG_UNALIGNED getAndAdd at offset 8 threw UnsupportedOperationException: getAndAdd
     *   1931 ms  main             JAVA_LONG getAndAdd at offset 4 threw IllegalArgumentException: Target offset 4 is incompatible with alignment constraint 8 (of j8)
     *   1932 ms  main             getAndAdd at offset 8 (aligned): fine, it reads back 1
     */

    static String describe(Exception e) {
        String message = String.valueOf(e.getMessage());
        int cut = message.indexOf(" for segment");
        return e.getClass().getSimpleName() + ": " + (cut < 0 ? message : message.substring(0, cut));
    }

    /* ---------------------------------------------------------------------------------
     * Publishing data safely across processes.
     *
     * A writer fills in some data, then raises a flag that says "ready"; a reader waits
     * for the flag, then reads the data. With plain writes, nothing keeps the flag from
     * becoming visible before the data: the JIT compiler may reorder plain stores, and so
     * may an ARM processor. Here we first make it certain by writing the flag first. The
     * reader can then see round r's flag next to round r-1's data, a torn read:
     *
     *     writer: flag = r          reader: sees flag == r
     *                               reader: reads data[0] == r-1   (torn)
     *     writer: data[0..7] = r
     *
     * That first row changes the order of the writes; the fix below changes the order
     * AND the access mode. To tell the two apart, a control row in between: data first,
     * then the flag, both with plain writes. On x86 it shows no tear, and the reason is
     * the processor, not the program: x86 keeps stores in order with stores and loads in
     * order with loads; the one reordering it does is a store followed by a later load of
     * another address (the load may complete while the store still waits in the store
     * buffer). Nothing in the Java memory model promises the control row's order: the JIT
     * may reorder its plain stores, and on ARM the processor does.
     *
     * The fix is the pattern Agrona's and Chronicle's ring buffers use: write the data
     * with plain stores, then `setRelease` the flag. A release store keeps every earlier
     * write before it. The reader `getAcquire`s the flag, which keeps every later read
     * after it. If the reader sees the flag, it sees all the data written before it.
     * Both halves matter: release without acquire lets the reader's data reads move
     * ahead of its flag read, and the data would be torn all the same.
     *
     * The access modes, weakest first. Plain (`get`, `set`): no promise at all when
     * another thread races on the variable. Opaque (`getOpaque`, `setOpaque`): each
     * access really happens and is atomic, and every reader sees one variable's writes in
     * one order, but it orders nothing around it; our readers poll the flag of the plain
     * rows with it, so that the loop sees the flag change at all. Release/acquire
     * (`setRelease`, `getAcquire`): orders the accesses around it, pairwise, writer to
     * reader. Volatile (`setVolatile`, `getVolatile`, and Java's `volatile` fields):
     * release/acquire plus one total order of all volatile accesses, so that a volatile
     * store is not reordered with a later volatile load, the store-then-load case that x86
     * reorders (it costs a locked instruction after the store). Handing data over needs
     * release/acquire; volatile is for patterns where each side writes its own variable
     * and then reads the other's (Dekker's mutual exclusion).
     *
     * Across processes, one more caution. The Java memory model (JLS 17.4) speaks of the
     * threads of ONE program: two JVMs are two programs, and no rule of the language says
     * what one sees of the other's writes. What makes these modes work between processes
     * is how HotSpot implements them: as machine instructions and barriers that the
     * processor honours for every observer, whatever its process (on x86 a release store
     * is a plain `mov` the JIT may not move earlier stores past, `getAndAdd` is `lock
     * xadd`; on ARM, `stlr`, `ldar` and atomic instructions). Shared-memory rings rely on
     * that mapping of the implementation, not on a promise of the JLS.
     * --------------------------------------------------------------------------------- */
    static final long FLAG = 0, ACK = 64, STOP = 72, WRITER_READY = 80, DATA = 128;
    static final int DATA_LONGS = 8;

    static void publishingSafely() throws Exception {
        section("Publishing data safely: release the flag, acquire it");
        int rounds = quick ? 10_000 : 50_000;
        for (String mode : List.of("flag-first", "plain", "release")) {
            Path file = workDir.resolve("publish-" + mode);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment shared = map(file, DATA + 8 * DATA_LONGS, arena);
                shared.fill((byte) 0);
                Process writer = startChild("publisher", file.toString(), mode, String.valueOf(rounds));
                boolean plain = !mode.equals("release");
                int torn = 0;
                int seen = 0;
                // The time budget starts once the child JVM is up and has mapped the file.
                spinUntil(() -> (long) LONG.getAcquire(shared, WRITER_READY) != 0, "the writer to start");
                long begin = System.nanoTime();
                long budget = begin + (quick ? 1_000_000_000L : 2_000_000_000L); // on a busy machine, fewer rounds
                for (long round = 1; round <= rounds && System.nanoTime() < budget; round++) {
                    long wanted = round;
                    if (!spinUntil(() -> (long) (plain ? LONG.getOpaque(shared, FLAG) : LONG.getAcquire(shared, FLAG)) >= wanted,
                            null)) break;
                    boolean whole = true;
                    for (int i = 0; i < DATA_LONGS; i++) {
                        if ((long) LONG.get(shared, DATA + 8L * i) != round) whole = false;
                    }
                    if (!whole) torn++;
                    seen++;
                    LONG.setRelease(shared, ACK, round);
                }
                long micros = (System.nanoTime() - begin) / 1_000;
                LONG.setRelease(shared, STOP, 1L);
                awaitChild(writer);
                String how = switch (mode) {
                    case "flag-first" -> "flag first, plain writes:";
                    case "plain" -> "data, then a plain flag:";
                    default -> "data, then setRelease(flag):";
                };
                String note = "";
                if (mode.equals("flag-first") && torn == 0) note = " - no tear this time; the order is still wrong";
                if (mode.equals("plain")) note = torn == 0 ? " - x86 kept the stores in order; the JMM does not promise it"
                        : " - the stores were reordered (the JIT, or a processor that reorders stores)";
                log(String.format("%-30s %,d torn reads in %,d rounds (%,d µs)%s", how, torn, seen, micros, note));
            }
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Publishing data safely: release the flag, acquire it ==
     * ? 2620 ms  main             flag first, plain writes:      1,071 torn reads in 10,000 rounds (539,936 µs)
     * ? 3879 ms  main             data, then a plain flag:       0 torn reads in 4,566 rounds (1,000,021 µs) - x86 kept the stores in order; the JMM does not promise it
     *   5219 ms  main             data, then setRelease(flag):   0 torn reads in 6,831 rounds (1,008,022 µs)
     */

    static void publisherChild(Path file, String mode, int rounds) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment shared = map(file, DATA + 8 * DATA_LONGS, arena);
            LONG.setRelease(shared, WRITER_READY, 1L);
            for (long round = 1; round <= rounds; round++) {
                long previous = round - 1;
                if (!spinUntil(() -> (long) LONG.getAcquire(shared, ACK) >= previous
                        || (long) LONG.getAcquire(shared, STOP) != 0, "the reader")) return;
                if ((long) LONG.getAcquire(shared, STOP) != 0) return;
                switch (mode) {
                    case "flag-first" -> {
                        LONG.set(shared, FLAG, round);
                        for (int i = 0; i < DATA_LONGS; i++) LONG.set(shared, DATA + 8L * i, round);
                    }
                    case "plain" -> {
                        for (int i = 0; i < DATA_LONGS; i++) LONG.set(shared, DATA + 8L * i, round);
                        LONG.set(shared, FLAG, round);
                    }
                    default -> {
                        for (int i = 0; i < DATA_LONGS; i++) LONG.set(shared, DATA + 8L * i, round);
                        LONG.setRelease(shared, FLAG, round);
                    }
                }
            }
        }
    }

    /* ---------------------------------------------------------------------------------
     * What a shared-memory handoff costs, next to a socket.
     *
     * Put release/acquire in a ring and you have a queue between processes. Ours is a
     * ring of 1,024 slots, each a payload and a "full" flag: the producer waits until
     * its next slot is empty, writes the payload and `setRelease`s the flag; the consumer
     * waits until its next slot is full, reads the payload and `setRelease`s the flag
     * back to empty. Each side keeps its own position, so they never write the same
     * field at the same time. (Exercise 7.3 builds the other classic design: a head and
     * a tail index instead of a flag per slot.) No system call per message: once a
     * slot's cache line moves, it is just loads and stores.
     *
     * Next to it, the same number of 8-byte messages over a Unix domain socket
     * (`SocketChannel` with a `UnixDomainSocketAddress`): one `write` system call per
     * message, a copy into the kernel and a copy out. The consumer checks every message
     * against the sequence number it expects next (a sum could hide a swap). Every
     * spin-wait here gives up after a deadline.
     * --------------------------------------------------------------------------------- */
    static final int RING_SLOTS = 1024;
    static final long SLOT_BYTES = 16, STOP_RING = RING_SLOTS * SLOT_BYTES;

    static void handoffSpeed() throws Exception {
        section("Handoff speed: a shared-memory ring next to a Unix domain socket");
        int messages = quick ? 300_000 : 1_000_000;
        // On a busy machine, each measurement stops at a time budget and says so.
        long budgetNanos = (quick ? 3 : 6) * 1_000_000_000L;

        Path ringFile = workDir.resolve("ring");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ring = map(ringFile, STOP_RING + 8, arena);
            ring.fill((byte) 0);
            Process producer = startChild("ring-producer", ringFile.toString(), String.valueOf(messages));
            long wrong = 0; // messages that were not the sequence number expected next
            long received = 0;
            long begin = 0; // the clock starts at the first message, once the child JVM is up
            boolean outOfTime = false;
            for (long sequence = 0; sequence < messages; sequence++) {
                if (sequence == 1) begin = System.nanoTime();
                if ((sequence & 4095) == 4095 && (outOfTime = System.nanoTime() - begin > budgetNanos)) break;
                long slot = (sequence % RING_SLOTS) * SLOT_BYTES;
                if ((long) LONG.getAcquire(ring, slot) == 0 && !spinUntil(() -> (long) LONG.getAcquire(ring, slot) != 0, null)) break;
                if ((long) LONG.get(ring, slot + 8) != sequence) wrong++;
                LONG.setRelease(ring, slot, 0L);
                received++;
            }
            long nanos = System.nanoTime() - begin;
            if (received < messages) LONG.setRelease(ring, STOP_RING, 1L); // tell the producer to stop
            awaitChild(producer);
            log(String.format("shared-memory ring: %,d messages in %,d ms = %,.0f messages/s (%s%s)",
                    received, nanos / 1_000_000, (received - 1) * 1e9 / Math.max(1, nanos),
                    wrong == 0 ? "each one checked: every one once, in order" : wrong + " NOT THE ONE EXPECTED",
                    outOfTime ? String.format("; stopped at the %d s budget", budgetNanos / 1_000_000_000L) : ""));
        }

        Path socketFile = workDir.resolve("socket");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            server.bind(UnixDomainSocketAddress.of(socketFile));
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            Process sender = startChild("socket-sender", socketFile.toString(), String.valueOf(messages));
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            SocketChannel connection = null;
            boolean outOfTime = false;
            while (connection == null && System.nanoTime() < deadline) {
                selector.select(100);
                connection = server.accept();
            }
            long received = 0;
            long nanos = 0;
            if (connection != null) {
                try (SocketChannel channel = connection) {
                    channel.configureBlocking(false);
                    selector.selectedKeys().clear();
                    channel.register(selector, SelectionKey.OP_READ);
                    ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
                    long bytes = 0;
                    long begin = System.nanoTime();
                    while (bytes < 8L * messages && !(outOfTime = System.nanoTime() - begin > budgetNanos)) {
                        selector.select(100);
                        selector.selectedKeys().clear();
                        int read = channel.read(buffer);
                        if (read < 0) break;
                        bytes += read;
                        buffer.clear();
                    }
                    nanos = System.nanoTime() - begin;
                    received = bytes / 8;
                }
                // A channel registered with a selector is only really closed at the next
                // select: do it now, so a sender still writing gets its error and ends.
                selector.selectNow();
            }
            awaitChild(sender);
            log(String.format("Unix domain socket: %,d messages in %,d ms = %,.0f messages/s (one write per message%s)",
                    received, nanos / 1_000_000, received * 1e9 / Math.max(1, nanos),
                    outOfTime ? String.format("; stopped at the %d s budget", budgetNanos / 1_000_000_000L) : ""));
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Handoff speed: a shared-memory ring next to a Unix domain socket ==
     * ? 6574 ms  main             shared-memory ring: 300,000 messages in 1,115 ms = 268,961 messages/s (each one checked: every one once, in order)
     * ? 8044 ms  main             Unix domain socket: 300,000 messages in 1,023 ms = 293,112 messages/s (one write per message)
     */

    static void ringProducerChild(Path file, long messages) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ring = map(file, STOP_RING + 8, arena);
            for (long sequence = 0; sequence < messages; sequence++) {
                long slot = (sequence % RING_SLOTS) * SLOT_BYTES;
                if ((long) LONG.getAcquire(ring, slot) != 0 && !spinUntil(() -> (long) LONG.getAcquire(ring, slot) == 0
                        || (long) LONG.getAcquire(ring, STOP_RING) != 0, "a free slot")) return;
                if ((long) LONG.getAcquire(ring, STOP_RING) != 0) return;
                LONG.set(ring, slot + 8, sequence);
                LONG.setRelease(ring, slot, 1L);
            }
        }
    }

    static void socketSenderChild(Path socketFile, long messages) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socketFile))) {
            ByteBuffer message = ByteBuffer.allocateDirect(8);
            for (long sequence = 0; sequence < messages; sequence++) {
                message.clear();
                message.putLong(0, sequence);
                while (message.hasRemaining()) channel.write(message);
            }
        } catch (IOException e) {
            // the parent stopped reading at its time budget and closed the connection
        }
    }

    // ---- child processes ------------------------------------------------------------------

    // Starts this very class in a new JVM, in the given role, on our own class path.
    static Process startChild(String role, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-Dlesson.start=" + START,
                "-cp", System.getProperty("java.class.path"),
                SharedMemory.class.getName(), role));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).inheritIO().start();
        children.add(process);
        return process;
    }

    // Waits, bounded, for a child to end; ends it if it does not. Returns its exit code.
    static int awaitChild(Process child) throws InterruptedException {
        if (!child.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
            log("child " + child.pid() + " did not finish in " + PATIENCE.toSeconds() + " s: ending it");
            child.destroyForcibly();
            child.waitFor(5, TimeUnit.SECONDS);
            return -1;
        }
        return child.exitValue();
    }

    // A bounded spin-wait: true once `condition` holds, false if PATIENCE ran out (then,
    // if `what` is not null, it says what it was waiting for). It spins a little, then
    // yields its core at every turn: on a busy machine the other process may need it.
    static boolean spinUntil(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (int spins = 0; !condition.getAsBoolean(); spins++) {
            if ((spins & 255) == 0 && System.nanoTime() > deadline) {
                if (what != null) log("gave up waiting for " + what + " after " + PATIENCE.toSeconds() + " s");
                return false;
            }
            if (spins < 200) Thread.onSpinWait();
            else Thread.yield();
        }
        return true;
    }

    // A child JVM: args are <role> <file> [more].
    static void child(String[] args) throws IOException {
        String role = args[0];
        Thread.currentThread().setName("child-" + role + (role.equals("counter") ? "-" + args[3] : ""));
        Path file = Path.of(args[1]);
        switch (role) {
            case "value-array" -> valueArrayChild(file);
            case "counter" -> counterChild(file, args[2].equals("atomic"), Integer.parseInt(args[3]), Long.parseLong(args[4]));
            case "publisher" -> publisherChild(file, args[2], Integer.parseInt(args[3]));
            case "ring-producer" -> ringProducerChild(file, Long.parseLong(args[2]));
            case "socket-sender" -> socketSenderChild(file, Long.parseLong(args[2]));
            default -> throw new IllegalArgumentException("unknown role " + role);
        }
    }

    /* =================================================================================
     * Exercises. Replace each `throw new UnsupportedOperationException(...)` with your
     * answer, then run `./jbang check 07`. Stuck? `./jbang hint 7.1` (again for more).
     * The tests start child JVMs that call your methods, so your code really runs in
     * several processes at once.
     * ================================================================================= */

    // Exercise 7.1: map a file so that every process mapping it shares the same bytes.
    //
    // Open `file` (create it if it does not exist) and map its first `bytes` bytes for
    // reading and writing, for as long as `arena` is open. A write through the segment
    // you return must be seen by every other process (and every other mapping) of the
    // same file, and writes by them must be seen through it. The file may be empty or
    // shorter than `bytes` when you are called. The test's child JVM maps the file with
    // your method, writes 3.1415927 as a double at byte 0 and negates ten ints from
    // byte 8; the parent must read them through its own mapping.
    static MemorySegment mapShared(Path file, long bytes, Arena arena) throws IOException {
        throw new UnsupportedOperationException("exercise 7.1 is not done yet: see its comment");
    }

    // Exercise 7.2: an exact counter that several processes increment at once.
    //
    // Add 1 to the long at byte `offset` of `shared` (a multiple of 8) as one atomic
    // step, and return the new value. The test starts three child JVMs that each call
    // your method 200,000 times on the same mapped file, all at the same moment: the
    // total must be exactly 600,000. (The `LONG` VarHandle above takes
    // (MemorySegment, long offset).)
    static long increment(MemorySegment shared, long offset) {
        throw new UnsupportedOperationException("exercise 7.2 is not done yet: see its comment");
    }

    // Exercise 7.3: a single-producer, single-consumer ring buffer in shared memory.
    //
    // The ring's layout (the segment is zeroed before first use):
    //   byte RING_HEAD (0):   long, how many messages were taken out (only poll writes it)
    //   byte RING_TAIL (64):  long, how many messages were put in (only offer writes it)
    //   byte RING_DATA (128): `ringCapacity(ring)` slots of one long each; message
    //                         number n (counting from 0) goes into slot n % capacity.
    // `offer` (the producer) puts `message` (>= 0) in and returns true, or returns false
    // at once if the ring holds `capacity` unread messages. `poll` (the consumer) takes
    // the oldest message out and returns it, or returns -1 at once if there is none.
    // One process offers while another polls: every message must arrive exactly once,
    // in order, complete, and no unread slot may be overwritten. Neither method waits.
    static final long RING_HEAD = 0, RING_TAIL = 64, RING_DATA = 128;

    static long ringCapacity(MemorySegment ring) {
        return (ring.byteSize() - RING_DATA) / 8;
    }

    static boolean offer(MemorySegment ring, long message) {
        throw new UnsupportedOperationException("exercise 7.3 is not done yet: see its comment");
    }

    static long poll(MemorySegment ring) {
        throw new UnsupportedOperationException("exercise 7.3 is not done yet: see its comment");
    }
}

// See also: lesson 03 (races and atomics between threads), lesson 05 (processes),
// lesson 06 (pipes, queues and sockets between processes: copying instead of sharing),
// lesson 08 (choosing a model), and Agrona's OneToOneRingBuffer and Chronicle Queue for
// production rings in mapped memory.
