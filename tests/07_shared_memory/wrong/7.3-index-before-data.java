// Known-wrong answer to exercise 7.3: publishes the new tail first and writes the slot
// after it, with plain writes: the consumer can see the tail and read the old slot.
class SharedMemory {
    static boolean offer(java.lang.foreign.MemorySegment ring, long message) {
        long tail = (long) LONG.get(ring, RING_TAIL);
        long head = (long) LONG.getAcquire(ring, RING_HEAD);
        if (tail - head == ringCapacity(ring)) return false;
        LONG.set(ring, RING_TAIL, tail + 1);
        LONG.set(ring, RING_DATA + 8 * (tail % ringCapacity(ring)), message);
        return true;
    }
}
