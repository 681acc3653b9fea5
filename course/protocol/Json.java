package course.protocol;

import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Writes an event as one JSON line. The job's runner has no JSON library (it shares its JVM
 * with submitted code and depends on as little as possible); the tool reads the lines with Gson.
 */
public final class Json {

    private Json() {}

    /** {"secret":...,"seq":...,"type":...,then the record's components} and a newline. */
    public static String line(String secret, long seq, Event event) {
        StringBuilder out = new StringBuilder("{\"secret\":");
        string(out, secret);
        out.append(",\"seq\":").append(seq).append(",\"type\":");
        string(out, Event.typeOf(event));
        components(out, (Record) event, true);
        return out.append("}\n").toString();
    }

    private static void components(StringBuilder out, Record record, boolean continued) {
        boolean first = !continued;
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            if (!first) out.append(',');
            first = false;
            string(out, component.getName());
            out.append(':');
            try {
                value(out, component.getAccessor().invoke(record));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void value(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case String text -> string(out, text);
            case Number number -> out.append(number);
            case Boolean bool -> out.append(bool);
            case Enum<?> constant -> string(out, constant.name());
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) out.append(',');
                    value(out, list.get(i));
                }
                out.append(']');
            }
            case Record record -> {
                out.append('{');
                components(out, record, false);
                out.append('}');
            }
            default -> throw new IllegalArgumentException("no JSON form for " + value.getClass());
        }
    }

    static void string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
