// Known-wrong answer to exercise 7.3: marks an empty slot with 0 (the producer waits for 0, the consumer clears to 0), but 0
// is a message like any other: a message 0 is taken for "empty" and never delivered.
class SharedMemory {
    static boolean offer(java.lang.foreign.MemorySegment ring, long message) {
        long tail = (long) LONG.get(ring, RING_TAIL);
        long slot = RING_DATA + 8 * (tail % ringCapacity(ring));
        if ((long) LONG.getAcquire(ring, slot) != 0) return false;
        LONG.setRelease(ring, slot, message);
        LONG.setRelease(ring, RING_TAIL, tail + 1);
        return true;
    }

    static long poll(java.lang.foreign.MemorySegment ring) {
        long head = (long) LONG.get(ring, RING_HEAD);
        long slot = RING_DATA + 8 * (head % ringCapacity(ring));
        long message = (long) LONG.getAcquire(ring, slot);
        if (message == 0) return -1;
        LONG.setRelease(ring, slot, 0L);
        LONG.setRelease(ring, RING_HEAD, head + 1);
        return message;
    }
}
