// Known-wrong answer to exercise 7.1: maps the file READ_ONLY: every process sees the same bytes, but none can write them.
class SharedMemory {
    static java.lang.foreign.MemorySegment mapShared(java.nio.file.Path file, long bytes, java.lang.foreign.Arena arena)
            throws java.io.IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            return channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, bytes, arena);
        }
    }
}
