package course.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads a stream to its end, keeping only the last {@code cap} bytes. */
final class Drain implements Runnable {
    private final InputStream in;
    private final byte[] ring;
    private long total;

    Drain(InputStream in, int cap) {
        this.in = in;
        this.ring = new byte[cap];
    }

    @Override
    public void run() {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                synchronized (this) {
                    for (int i = 0; i < n; i++) ring[(int) ((total + i) % ring.length)] = buffer[i];
                    total += n;
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    synchronized String text() {
        if (total <= ring.length) return new String(ring, 0, (int) total, StandardCharsets.UTF_8);
        int start = (int) (total % ring.length);
        byte[] ordered = new byte[ring.length];
        System.arraycopy(ring, start, ordered, 0, ring.length - start);
        System.arraycopy(ring, 0, ordered, ring.length - start, start);
        return String.format("[... %,d bytes dropped]%n", total - ring.length) + new String(ordered, StandardCharsets.UTF_8);
    }
}
