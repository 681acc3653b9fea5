// Known-wrong answer to exercise 7.2: a compareAndSet, but when it fails (someone else
// got there first) the increment is simply dropped instead of retried.
class SharedMemory {
    static long increment(java.lang.foreign.MemorySegment shared, long offset) {
        long value = (long) LONG.getVolatile(shared, offset);
        LONG.compareAndSet(shared, offset, value, value + 1);
        return value + 1;
    }
}
