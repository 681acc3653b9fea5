///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//MAIN SharedMemory

// Reference answers to the exercises of lessons/07_shared_memory.java.
// Run it to see each answer at work: ./jbang solutions/07_shared_memory.java
// (in one process, over two mappings of one file; the tests use several processes).

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

class SharedMemory {

    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    static void main(String[] args) throws Exception {
        Path file = Files.createTempFile("solution07-", ".bin");
        try (Arena arena = Arena.ofShared()) {
            MemorySegment first = mapShared(file, 4096, arena);
            MemorySegment second = mapShared(file, 4096, arena);
            first.set(ValueLayout.JAVA_DOUBLE, 0, 3.1415927);
            System.out.println("7.1 written through one mapping, read through the other: "
                    + second.get(ValueLayout.JAVA_DOUBLE, 0));

            for (int i = 0; i < 5; i++) increment(first, 64);
            System.out.println("7.2 five increments through one mapping, seen through the other: "
                    + (long) LONG.getVolatile(second, 64L));

            MemorySegment ring = first.asSlice(1024, RING_DATA + 8 * 4);
            ring.fill((byte) 0);
            List<Long> taken = new ArrayList<>();
            long next = 0;
            while (taken.size() < 10) {
                while (next < 10 && offer(ring, next)) next++;
                for (long message; (message = poll(ring)) >= 0; ) taken.add(message);
            }
            System.out.println("7.3 ten messages through a ring of " + ringCapacity(ring) + " slots: " + taken);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    // Exercise 7.1: READ_WRITE (not PRIVATE, which is copy-on-write) maps the file's own
    // pages; mapping past the end grows the file. The mapping outlives the channel.
    static MemorySegment mapShared(Path file, long bytes, Arena arena) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
        }
    }

    // Exercise 7.2: getAndAdd is one atomic read-add-write, done by the processor, so it
    // holds between processes too. It returns the old value.
    static long increment(MemorySegment shared, long offset) {
        return (long) LONG.getAndAdd(shared, offset, 1L) + 1;
    }

    // Exercise 7.3: each index has one writer. The producer writes the slot, then
    // release-stores the tail; the consumer acquire-loads the tail before it reads the
    // slot, and release-stores the head after it, so that the producer (which
    // acquire-loads the head) never reuses a slot that is still being read.
    static final long RING_HEAD = 0, RING_TAIL = 64, RING_DATA = 128;

    static long ringCapacity(MemorySegment ring) {
        return (ring.byteSize() - RING_DATA) / 8;
    }

    static boolean offer(MemorySegment ring, long message) {
        long tail = (long) LONG.get(ring, RING_TAIL);            // only we write it
        long head = (long) LONG.getAcquire(ring, RING_HEAD);
        if (tail - head == ringCapacity(ring)) return false;     // full
        LONG.set(ring, RING_DATA + 8 * (tail % ringCapacity(ring)), message);
        LONG.setRelease(ring, RING_TAIL, tail + 1);              // publish after the data
        return true;
    }

    static long poll(MemorySegment ring) {
        long head = (long) LONG.get(ring, RING_HEAD);            // only we write it
        long tail = (long) LONG.getAcquire(ring, RING_TAIL);
        if (head == tail) return -1;                             // empty
        long message = (long) LONG.get(ring, RING_DATA + 8 * (head % ringCapacity(ring)));
        LONG.setRelease(ring, RING_HEAD, head + 1);              // free the slot after reading it
        return message;
    }
}
