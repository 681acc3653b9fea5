import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The child JVMs of SharedMemoryTest: each role calls the learner's answer from a process
 * of its own. Started as {@code java -cp <class path> SharedMemoryChild <role> <file> ...};
 * exit code 0 when the role ran to its end, 1 when it failed (the reason on stderr).
 */
class SharedMemoryChild {

    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    static final long PATIENCE_NANOS = Probe.PATIENCE.toNanos();

    // Byte offsets in the counter file: the round to run (-1: stop), how many children
    // finished a round, one ready flag per child, one counter per round.
    static final long GO = 0, DONE = 64, READY = 128, COUNTERS = 1024;
    static final int ROUNDS = 5;

    static long counter(int round) {
        return COUNTERS + 64L * round;
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        try (Arena arena = Arena.ofShared()) {
            switch (args[0]) {
                case "value-array" -> valueArray(SharedMemory.mapShared(file, 48, arena));
                case "counter" -> counters(map(file, arena), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                case "ring-producer" -> ringProducer(map(file, arena), Long.parseLong(args[2]));
                default -> throw new IllegalArgumentException(args[0]);
            }
        } catch (Throwable failure) {
            failure.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** The test's own mapping, so that 7.2 and 7.3 do not depend on the answer to 7.1. */
    static MemorySegment map(Path file, Arena arena) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena);
        }
    }

    static void valueArray(MemorySegment shared) {
        shared.set(ValueLayout.JAVA_DOUBLE, 0, 3.1415927);
        for (int i = 0; i < 10; i++) {
            int value = shared.getAtIndex(ValueLayout.JAVA_INT, 2 + i);
            shared.setAtIndex(ValueLayout.JAVA_INT, 2 + i, -value);
        }
    }

    /** Round after round, as the test says go: `increments` calls of the learner's increment. */
    static void counters(MemorySegment shared, int index, int increments) {
        LONG.setRelease(shared, READY + 8L * index, 1L);
        for (int round = 1; round <= ROUNDS; round++) {
            if (!awaitRound(shared, round)) return;
            long counter = counter(round);
            for (int i = 0; i < increments; i++) SharedMemory.increment(shared, counter);
            LONG.getAndAdd(shared, DONE, 1L);
        }
    }

    /** Spins (bounded) until the test starts `round`; false if it said stop. */
    static boolean awaitRound(MemorySegment shared, int round) {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        long go;
        while ((go = (long) LONG.getAcquire(shared, GO)) < round) {
            if (go < 0) return false;
            if (System.nanoTime() > deadline) throw new IllegalStateException("no start flag from the test for round " + round);
            Thread.onSpinWait();
        }
        return true;
    }

    /** Offers 0, 1, 2, ... in order; each offer may wait (bounded) for the consumer. */
    static void ringProducer(MemorySegment ring, long messages) {
        for (long message = 0; message < messages; message++) {
            long deadline = System.nanoTime() + PATIENCE_NANOS;
            int spins = 0;
            while (!SharedMemory.offer(ring, message)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("offer(" + message + ") kept returning false (ring full) for "
                            + Probe.PATIENCE.toSeconds() + " s: the consumer took nothing out");
                }
                SharedMemoryTest.backOff(spins++);
            }
            SharedMemoryTest.pace();
        }
    }
}
