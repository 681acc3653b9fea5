// Known-wrong answer to exercise 7.1: maps the file in an arena of its own, closed by try-with-resources before the
// segment is even returned: the caller's `arena` decides how long the mapping lives, not a new one.
class SharedMemory {
    static java.lang.foreign.MemorySegment mapShared(java.nio.file.Path file, long bytes, java.lang.foreign.Arena arena)
            throws java.io.IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE);
             java.lang.foreign.Arena mine = java.lang.foreign.Arena.ofConfined()) {
            return channel.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0, bytes, mine);
        }
    }
}
