// Known-wrong answer to exercise 7.3: the producer never checks the head, so when the
// consumer falls behind it overwrites slots that were not read yet.
class SharedMemory {
    static boolean offer(java.lang.foreign.MemorySegment ring, long message) {
        long tail = (long) LONG.get(ring, RING_TAIL);
        LONG.set(ring, RING_DATA + 8 * (tail % ringCapacity(ring)), message);
        LONG.setRelease(ring, RING_TAIL, tail + 1);
        return true;
    }
}
