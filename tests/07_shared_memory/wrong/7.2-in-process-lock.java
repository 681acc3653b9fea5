// Known-wrong answer to exercise 7.2: a synchronized method, which makes the update
// atomic among the threads of one JVM only; other processes do not see this lock.
class SharedMemory {
    static synchronized long increment(java.lang.foreign.MemorySegment shared, long offset) {
        long value = (long) LONG.get(shared, offset);
        LONG.set(shared, offset, value + 1);
        return value + 1;
    }
}
