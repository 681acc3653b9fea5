// Known-wrong answer to exercise 7.3: the consumer does not wait for the producer: it
// takes whatever is in the next slot, even when the producer has not written it yet.
class SharedMemory {
    static long poll(java.lang.foreign.MemorySegment ring) {
        long head = (long) LONG.get(ring, RING_HEAD);
        long message = (long) LONG.get(ring, RING_DATA + 8 * (head % ringCapacity(ring)));
        LONG.setRelease(ring, RING_HEAD, head + 1);
        return message;
    }
}
