///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//DEPS com.puppycrawl.tools:checkstyle:14.4.0
//JAVA_OPTIONS -XX:+UseSerialGC -XX:TieredStopAtLevel=1

// The course tool's style rules (course/test/style.xml), checked with Checkstyle over every Java
// file of course/. Prints TAP for verify: one line per file, the violations as detail lines.
// Run from the course's root: ./jbang course/test/Style.java

import com.puppycrawl.tools.checkstyle.Checker;
import com.puppycrawl.tools.checkstyle.ConfigurationLoader;
import com.puppycrawl.tools.checkstyle.PropertiesExpander;
import com.puppycrawl.tools.checkstyle.api.AuditEvent;
import com.puppycrawl.tools.checkstyle.api.AuditListener;
import com.puppycrawl.tools.checkstyle.api.CheckstyleException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.xml.sax.InputSource;

class Style {
    public static void main(String[] args) throws IOException, CheckstyleException {
        List<File> files;
        try (Stream<Path> walk = Files.walk(Path.of("course"))) {
            files = walk.filter(f -> f.toString().endsWith(".java")).sorted().map(Path::toFile).toList();
        }
        Map<String, List<String>> violations = new TreeMap<>();
        files.forEach(file -> violations.put(file.getPath(), new ArrayList<>()));
        Checker checker = new Checker();
        checker.setModuleClassLoader(Checker.class.getClassLoader());
        InputSource rules = new InputSource(Path.of("course/test/style.xml").toUri().toString());
        checker.configure(ConfigurationLoader.loadConfiguration(rules,
                new PropertiesExpander(new Properties()), ConfigurationLoader.IgnoredModulesOptions.OMIT));
        checker.addListener(new Collector(violations));
        checker.process(files);
        checker.destroy();
        int number = 0;
        int failed = 0;
        for (Map.Entry<String, List<String>> file : violations.entrySet()) {
            number++;
            if (file.getValue().isEmpty()) {
                System.out.println("ok " + number + " - style: " + file.getKey());
            } else {
                failed++;
                System.out.println("not ok " + number + " - style: " + file.getKey());
                file.getValue().forEach(violation -> System.out.println("  " + violation));
            }
        }
        System.out.println("1.." + number);
        System.exit(failed == 0 ? 0 : 1);
    }

    /** Collects each violation under its file, as "line N: message". */
    record Collector(Map<String, List<String>> violations) implements AuditListener {
        @Override
        public void addError(AuditEvent event) {
            String file = Path.of("").toAbsolutePath().relativize(Path.of(event.getFileName()).toAbsolutePath()).toString();
            violations.computeIfAbsent(file, f -> new ArrayList<>()).add("line " + event.getLine() + ": " + event.getMessage());
        }

        @Override
        public void addException(AuditEvent event, Throwable error) {
            violations.computeIfAbsent(event.getFileName(), f -> new ArrayList<>()).add("cannot be parsed: " + error);
        }

        @Override
        public void auditStarted(AuditEvent event) {}

        @Override
        public void auditFinished(AuditEvent event) {}

        @Override
        public void fileStarted(AuditEvent event) {}

        @Override
        public void fileFinished(AuditEvent event) {}
    }
}
