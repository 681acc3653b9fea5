// Known-wrong answer to exercise 7.3: poll frees the slot with setOpaque and offer reads the head with getOpaque: opaque
// accesses are atomic and eventually seen, but order nothing, so the producer may overwrite a slot still being read.
class SharedMemory {
    static boolean offer(java.lang.foreign.MemorySegment ring, long message) {
        long tail = (long) LONG.get(ring, RING_TAIL);
        long head = (long) LONG.getOpaque(ring, RING_HEAD);
        if (tail - head == ringCapacity(ring)) return false;
        LONG.set(ring, RING_DATA + 8 * (tail % ringCapacity(ring)), message);
        LONG.setRelease(ring, RING_TAIL, tail + 1);
        return true;
    }

    static long poll(java.lang.foreign.MemorySegment ring) {
        long head = (long) LONG.get(ring, RING_HEAD);
        long tail = (long) LONG.getAcquire(ring, RING_TAIL);
        if (head == tail) return -1;
        long message = (long) LONG.get(ring, RING_DATA + 8 * (head % ringCapacity(ring)));
        LONG.setOpaque(ring, RING_HEAD, head + 1);
        return message;
    }
}
