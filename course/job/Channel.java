package course.job;

import course.protocol.Event;
import course.protocol.Json;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * The runner's line to the tool: the JVM's original standard output, which the runner takes
 * for itself before any submitted code runs. File descriptor 1 is then pointed at standard
 * error, so that what submitted code writes to {@code FileDescriptor.out} lands with its other
 * output, never among the events; and every event carries the run's secret, which the tool
 * sent on standard input and checks on every line.
 */
final class Channel {

    private final OutputStream out;
    private final String secret;
    private long seq;

    private Channel(OutputStream out, String secret) {
        this.out = out;
        this.secret = secret;
    }

    static Channel open(String secret) {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle dup = linker.downcallHandle(linker.defaultLookup().find("dup").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            MethodHandle dup2 = linker.downcallHandle(linker.defaultLookup().find("dup2").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            MethodHandle write = linker.downcallHandle(linker.defaultLookup().find("write").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_LONG));
            System.out.flush();
            int fd = (int) dup.invokeExact(1);
            int moved = (int) dup2.invokeExact(2, 1);
            if (fd < 0 || moved < 0) throw new IOException("dup failed");
            return new Channel(new NativeOut(write, fd), secret);
        } catch (Throwable unavailable) {
            // No native access here (another OS, or a JVM without it): the plain stream.
            return new Channel(new FileOutputStream(java.io.FileDescriptor.out), secret);
        }
    }

    /** A channel to nowhere: for a standby's warm-up, whose events nobody reads. */
    static Channel discarding() {
        return new Channel(OutputStream.nullOutputStream(), "");
    }

    synchronized void send(Event event) {
        try {
            out.write(Json.line(secret, ++seq, event).getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes to a file descriptor with write(2), so that no Java object holds the descriptor. */
    private static final class NativeOut extends OutputStream {
        private final MethodHandle write;
        private final int fd;

        NativeOut(MethodHandle write, int fd) {
            this.write = write;
            this.fd = fd;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(Math.max(1, length));
                MemorySegment.copy(bytes, offset, buffer, ValueLayout.JAVA_BYTE, 0, length);
                long done = 0;
                while (done < length) {
                    long n = (long) write.invokeExact(fd, buffer.asSlice(done), (long) length - done);
                    if (n <= 0) throw new IOException("write failed");
                    done += n;
                }
            } catch (IOException e) {
                throw e;
            } catch (Throwable e) {
                throw new IOException(e);
            }
        }
    }
}
