// Known-wrong answer to exercise 7.2: counts in an AtomicLong on this JVM's heap and copies it into shared memory: atomic
// among this JVM's threads, but each process has its own AtomicLong, so the processes overwrite each other's counts.
class SharedMemory {
    static final java.util.concurrent.atomic.AtomicLong COUNT = new java.util.concurrent.atomic.AtomicLong();

    static long increment(java.lang.foreign.MemorySegment shared, long offset) {
        long value = COUNT.incrementAndGet();
        LONG.setVolatile(shared, offset, value);
        return value;
    }
}
