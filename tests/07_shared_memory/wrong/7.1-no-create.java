// Known-wrong answer to exercise 7.1: opens the file without CREATE, so the first process to map a file that does not
// exist yet fails with NoSuchFileException.
class SharedMemory {
    static java.lang.foreign.MemorySegment mapShared(java.nio.file.Path file, long bytes, java.lang.foreign.Arena arena)
            throws java.io.IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            return channel.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
        }
    }
}
