package course.engine;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import course.protocol.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a job's event channel as hostile input: lines of bounded length, bytes decoded
 * leniently, every line checked for the run's secret and the next sequence number, every event
 * checked for its required fields. What is not a valid event is counted, never thrown.
 */
public final class EventReader {

    static final int MAX_LINE = 4 << 20;
    static final long MAX_TOTAL = 64L << 20;
    private static final Gson GSON = new Gson();
    /** Fields that may be null: everything else an event holds must be present. */
    private static final Set<String> OPTIONAL = Set.of("message", "output");

    private final String secret;
    private final List<Event> events = new ArrayList<>();
    private int noise;
    private int forged;
    private int malformed;
    private long seq;

    public EventReader(String secret) {
        this.secret = secret;
    }

    public String secret() {
        return secret;
    }

    /** The work of reading {@code in} to its end: run it on a thread of its own. */
    public Runnable from(InputStream in) {
        return () -> read(in);
    }

    private void read(InputStream in) {
        long total = 0;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean overflow = false;
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > MAX_TOTAL) continue; // drain, keep nothing more
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        if (overflow) countMalformed();
                        else accept(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                        overflow = false;
                    } else if (line.size() < MAX_LINE) {
                        line.write(buffer[i]);
                    } else {
                        overflow = true;
                    }
                }
            }
        } catch (IOException ended) {
            // the job ended
        }
    }

    private synchronized void countMalformed() {
        malformed++;
    }

    private synchronized void accept(String text) {
        JsonObject object;
        try {
            JsonElement element = JsonParser.parseString(text);
            if (!element.isJsonObject()) {
                noise++;
                return;
            }
            object = element.getAsJsonObject();
        } catch (RuntimeException notJson) {
            noise++; // a line the JVM itself printed before the runner took the channel
            return;
        }
        if (!object.has("secret") || !secret.equals(asString(object.get("secret")))) {
            forged++;
            return;
        }
        try {
            long lineSeq = object.get("seq").getAsLong();
            Class<? extends Event> type = Event.TYPES.get(object.get("type").getAsString());
            if (lineSeq != seq + 1 || type == null) {
                malformed++;
                return;
            }
            Event event = GSON.fromJson(object, type);
            if (!complete((Record) event)) {
                malformed++;
                return;
            }
            seq = lineSeq;
            events.add(event);
        } catch (RuntimeException bad) {
            malformed++;
        }
    }

    private static String asString(JsonElement element) {
        return element.isJsonPrimitive() ? element.getAsString() : null;
    }

    /** Every component present, but those that may be absent; nested records too. */
    static boolean complete(Record record) {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                return false;
            }
            if (value == null && !OPTIONAL.contains(component.getName())) return false;
            if (value instanceof Record nested && !complete(nested)) return false;
            if (value instanceof List<?> list) {
                for (Object item : list) {
                    if (item == null || item instanceof Record nested && !complete(nested)) return false;
                }
            }
        }
        return true;
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** Lines that carried a secret other than this run's: somebody tried to forge results. */
    public synchronized int forged() {
        return forged;
    }

    /** Lines with the right secret that were cut, out of order, or incomplete. */
    public synchronized int malformed() {
        return malformed;
    }

    public synchronized int noise() {
        return noise;
    }
}
