package course.job;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Where System.out and System.err go while tests run: the current test's buffer, of which the
 * first {@code cap} bytes are kept and the rest only counted.
 */
final class Capture extends OutputStream {
    private final int cap;
    private ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long dropped;
    private long startNanos = System.nanoTime();

    Capture(int cap) {
        this.cap = cap;
    }

    synchronized void startTest() {
        kept = new ByteArrayOutputStream();
        dropped = 0;
        startNanos = System.nanoTime();
    }

    synchronized String endTest() {
        String text = kept.toString(StandardCharsets.UTF_8);
        if (dropped > 0) text += String.format("%n[... %,d more bytes of output dropped]%n", dropped);
        kept = new ByteArrayOutputStream();
        dropped = 0;
        return text;
    }

    synchronized long millis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public synchronized void write(int b) {
        if (kept.size() < cap) kept.write(b);
        else dropped++;
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        int room = Math.max(0, Math.min(length, cap - kept.size()));
        kept.write(bytes, offset, room);
        dropped += length - room;
    }
}
