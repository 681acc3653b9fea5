// Known-wrong answer to exercise 7.2: one atomic getAndAdd, but it returns what getAndAdd returns: the value BEFORE the
// add, not the new one.
class SharedMemory {
    static long increment(java.lang.foreign.MemorySegment shared, long offset) {
        return (long) LONG.getAndAdd(shared, offset, 1L);
    }
}
