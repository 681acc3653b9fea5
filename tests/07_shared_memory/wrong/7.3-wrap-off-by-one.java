// Known-wrong answer to exercise 7.3: wraps the slot index at capacity - 1, so the
// last slot is never used and message n - (capacity - 1) is overwritten in a full ring.
class SharedMemory {
    static boolean offer(java.lang.foreign.MemorySegment ring, long message) {
        long tail = (long) LONG.get(ring, RING_TAIL);
        long head = (long) LONG.getAcquire(ring, RING_HEAD);
        if (tail - head == ringCapacity(ring)) return false;
        LONG.set(ring, RING_DATA + 8 * (tail % (ringCapacity(ring) - 1)), message);
        LONG.setRelease(ring, RING_TAIL, tail + 1);
        return true;
    }

    static long poll(java.lang.foreign.MemorySegment ring) {
        long head = (long) LONG.get(ring, RING_HEAD);
        long tail = (long) LONG.getAcquire(ring, RING_TAIL);
        if (head == tail) return -1;
        long message = (long) LONG.get(ring, RING_DATA + 8 * (head % (ringCapacity(ring) - 1)));
        LONG.setRelease(ring, RING_HEAD, head + 1);
        return message;
    }
}
