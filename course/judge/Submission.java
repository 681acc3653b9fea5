package course.judge;

import course.manifest.Manifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A lesson file of a submission, taken in only if it is what it claims: a regular file (never a
 * link, which could point at the reference answer or a classmate's work), of sane size, in UTF-8.
 */
public sealed interface Submission {

    long MAX_BYTES = 1 << 20;

    record Found(String text) implements Submission {}

    record Missing(String why) implements Submission {}

    /** A file that will not be run, with a reason the learner can act on. */
    record Refused(String why) implements Submission {}

    static Submission read(Path folder, Manifest.Lesson lesson) {
        Path file = folder.resolve(lesson.fileName());
        String name = lesson.fileName();
        try {
            if (Files.isSymbolicLink(file)) {
                return new Refused(name + " is a symbolic link (to " + Files.readSymbolicLink(file)
                        + "): a submission must be a file of its own");
            }
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return new Missing("no " + name + " in the submission");
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return new Refused(name + " is not a regular file");
            if (Files.size(file) > MAX_BYTES) return new Refused(name + " is larger than " + (MAX_BYTES >> 10) + " KiB");
            return decode(name, Files.readAllBytes(file));
        } catch (IOException e) {
            return new Refused(name + " cannot be read: " + e.getMessage());
        }
    }

    /** Strict UTF-8: the first bad byte is named, with its line and column. */
    static Submission decode(String name, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (!result.isError()) return new Found(out.flip().toString());
        int at = in.position();
        int line = 1;
        int column = 1;
        for (int i = 0; i < at; i++) {
            if (bytes[i] == '\n') {
                line++;
                column = 1;
            } else if ((bytes[i] & 0xC0) != 0x80) {
                column++;
            }
        }
        return new Refused(String.format("does not compile:%nlessons/%s:%d: not valid UTF-8: byte 0x%02X at column %d"
                + " (save the file as UTF-8; a Latin-1 or Windows-1252 editor setting does this)",
                name, line, bytes[at] & 0xFF, column));
    }
}
