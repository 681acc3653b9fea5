// Known-wrong answer to exercise 7.3: the right steps in the right order, but plain get/set on the indexes: no
// happens-before edge (JLS 17.4), so the JIT or an ARM processor may let the tail be seen before the slot's message.
class SharedMemory {
    static boolean offer(java.lang.foreign.MemorySegment ring, long message) {
        long tail = (long) LONG.get(ring, RING_TAIL);
        long head = (long) LONG.get(ring, RING_HEAD);
        if (tail - head == ringCapacity(ring)) return false;
        LONG.set(ring, RING_DATA + 8 * (tail % ringCapacity(ring)), message);
        LONG.set(ring, RING_TAIL, tail + 1);
        return true;
    }

    static long poll(java.lang.foreign.MemorySegment ring) {
        long head = (long) LONG.get(ring, RING_HEAD);
        long tail = (long) LONG.get(ring, RING_TAIL);
        if (head == tail) return -1;
        long message = (long) LONG.get(ring, RING_DATA + 8 * (head % ringCapacity(ring)));
        LONG.set(ring, RING_HEAD, head + 1);
        return message;
    }
}
