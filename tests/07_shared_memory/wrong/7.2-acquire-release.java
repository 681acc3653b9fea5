// Known-wrong answer to exercise 7.2: ordered (acquire/release) reads and writes, but
// still two separate steps, so another process can slip in between them.
class SharedMemory {
    static long increment(java.lang.foreign.MemorySegment shared, long offset) {
        long value = (long) LONG.getAcquire(shared, offset);
        LONG.setRelease(shared, offset, value + 1);
        return value + 1;
    }
}
