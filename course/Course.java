///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//DEPS org.junit:junit-bom:5.14.4@pom
//DEPS org.junit.jupiter:junit-jupiter
//DEPS org.junit.platform:junit-platform-launcher
//DEPS org.junit.platform:junit-platform-reporting
//DEPS org.assertj:assertj-core:3.27.7
//DEPS org.awaitility:awaitility:4.3.0
//DEPS org.jetbrains.lincheck:lincheck:3.7
//DEPS info.picocli:picocli:4.7.7
//DEPS com.google.code.gson:gson:2.13.1
//DEPS org.yaml:snakeyaml:2.5
//DEPS com.hazelcast:hazelcast:5.7.0
//SOURCES cli/*.java engine/*.java judge/*.java manifest/*.java protocol/*.java report/*.java verify/*.java
//JAVA_OPTIONS -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED

// The course tool: check, hint, watch, grade, verify and the maintainers' commands. Run it
// through the aliases in jbang-catalog.json: ./jbang check 01, ./jbang hint 1.1. Its parts:
//   manifest/  protocol/   the course manifest; what a lesson job and the tool say to each other
//   engine/                starts, sandboxes and limits lesson jobs; compiles; reads their events
//   judge/                 turns test results into verdicts and points
//   report/                console, Exercism JSON and JUnit XML reports
//   cli/  verify/          the commands, one file each; verify's parts
//   job/                   the lesson job's runner, a module of its own (built by engine/JobModule)
//   test/                  the tool's own tests, run by verify

import course.cli.CheckServer;
import course.cli.Cli;

class Course {
    public static void main(String[] args) {
        Integer served = CheckServer.served(args); // a check answered by check's server, if there is one
        System.exit(served != null ? served : Cli.run(args));
    }
}
