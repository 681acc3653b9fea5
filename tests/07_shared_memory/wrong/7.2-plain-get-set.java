// Known-wrong answer to exercise 7.2: a plain read, then a plain write. Two processes
// read the same value, both write value + 1, and one increment is lost.
class SharedMemory {
    static long increment(java.lang.foreign.MemorySegment shared, long offset) {
        long value = (long) LONG.get(shared, offset);
        LONG.set(shared, offset, value + 1);
        return value + 1;
    }
}
