// Known-wrong answer to exercise 7.3: the classic "one slot always empty" full test
// (tail + 1 == head, wrapped) from rings that keep wrapped indexes: this ring then
// refuses a message while it still has a free slot.
class SharedMemory {
    static boolean offer(java.lang.foreign.MemorySegment ring, long message) {
        long tail = (long) LONG.get(ring, RING_TAIL);
        long head = (long) LONG.getAcquire(ring, RING_HEAD);
        if (tail - head >= ringCapacity(ring) - 1) return false;
        LONG.set(ring, RING_DATA + 8 * (tail % ringCapacity(ring)), message);
        LONG.setRelease(ring, RING_TAIL, tail + 1);
        return true;
    }
}
