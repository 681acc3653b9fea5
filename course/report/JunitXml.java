package course.report;

import course.engine.Results.TestResult;
import course.engine.Text;
import course.judge.Grades.LessonGrade;
import course.protocol.Status;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * JUnit's XML report format (the Ant schema every CI dashboard reads), one file per lesson with
 * every test of the lesson, however many JVMs grading it took: a test that ended its JVM is an
 * error, a lesson that did not compile has an error for each test. The suite is the lesson and
 * each test is named by its exercise and display name, so a dashboard reads like grade's table.
 */
public final class JunitXml {

    private JunitXml() {}

    /** Writes DIR/NN/TEST-lesson-NN.xml. */
    public static Path write(Path dir, LessonGrade grade) throws IOException {
        Path file = Files.createDirectories(dir.resolve(grade.lesson().id())).resolve("TEST-lesson-" + grade.lesson().id()
                + ".xml");
        Files.writeString(file, xml(grade), StandardCharsets.UTF_8);
        return file;
    }

    public static String xml(LessonGrade grade) {
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            String suite = "Lesson " + grade.lesson().id() + ": " + grade.lesson().title();
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", suite);
            xml.writeAttribute("tests", Integer.toString(grade.tests().size()));
            xml.writeAttribute("failures", Long.toString(count(grade, Status.FAIL) + count(grade, Status.NOT_DONE)));
            xml.writeAttribute("errors", Long.toString(count(grade, Status.ERROR) + count(grade, Status.MISSING)));
            xml.writeAttribute("skipped", "0");
            xml.writeAttribute("time", seconds(grade.millis()));
            xml.writeCharacters("\n  ");
            xml.writeStartElement("properties");
            property(xml, "status", grade.status().label());
            property(xml, "points", Integer.toString(grade.points()));
            property(xml, "maxPoints", Integer.toString(grade.lesson().points()));
            if (grade.message() != null) property(xml, "message", grade.message());
            xml.writeEndElement();
            for (TestResult test : grade.tests()) testCase(xml, suite, test);
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return text + "\n";
    }

    private static void testCase(XMLStreamWriter xml, String suite, TestResult test) throws XMLStreamException {
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testcase");
        xml.writeAttribute("name", safe(test.test().displayName()));
        xml.writeAttribute("classname", safe(suite + " / " + (test.exercise() == null ? "-" : test.exercise())));
        xml.writeAttribute("time", seconds(test.millis()));
        if (!test.status().passed()) {
            boolean error = test.status() == Status.ERROR || test.status() == Status.MISSING;
            xml.writeStartElement(error ? "error" : "failure");
            xml.writeAttribute("message", safe(Text.firstLine(test.message(), 200)));
            xml.writeAttribute("type", test.status().label());
            xml.writeCharacters(safe(test.message()));
            xml.writeEndElement();
        }
        if (test.output() != null && !test.output().isEmpty()) {
            xml.writeStartElement("system-out");
            xml.writeCharacters(safe(test.output()));
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeCharacters("\n    ");
        xml.writeEmptyElement("property");
        xml.writeAttribute("name", name);
        xml.writeAttribute("value", safe(value));
    }

    private static long count(LessonGrade grade, Status status) {
        return grade.tests().stream().filter(t -> t.status() == status).count();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    /** Only characters XML 1.0 allows: a submission's output can hold anything. */
    static String safe(String text) {
        if (text == null) return "";
        StringBuilder kept = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || c >= 0x20 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD
                    || c >= 0x10000 && c <= 0x10FFFF;
            kept.appendCodePoint(allowed ? c : 0xFFFD);
        });
        return kept.toString();
    }
}
