// Known-wrong answer to exercise 7.2: getAndAdd through JAVA_LONG_UNALIGNED's VarHandle, which offers no atomic access
// mode at all (not even at an aligned offset): every call throws.
class SharedMemory {
    static final java.lang.invoke.VarHandle ANY_LONG = java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.varHandle();

    static long increment(java.lang.foreign.MemorySegment shared, long offset) {
        return (long) ANY_LONG.getAndAdd(shared, offset, 1L) + 1;
    }
}
