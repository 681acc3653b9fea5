///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//MAIN Processes

// Reference answers to the exercises of lessons/05_processes.java.
// Run it to see each answer at work: ./jbang solutions/05_processes.java

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

class Processes {

    static void main(String[] args) throws Exception {
        // The child roles the exercises start: "pids" (5.1), and two for the 5.3 demo.
        if (args.length > 0) {
            switch (args[0]) {
                case "pids" -> System.out.println("pid " + ProcessHandle.current().pid()
                        + " parent " + ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L));
                case "ok" -> System.exit(0);
                case "hang" -> Thread.sleep(Duration.ofSeconds(60));
                default -> System.exit(2);
            }
            return;
        }
        PidReport report = reportPids();
        System.out.println("5.1 reportPids: " + report + ", and this JVM is pid " + ProcessHandle.current().pid());

        System.out.println("5.2 parallelMap on 3 workers: " + parallelMap(List.of(1, 2, 3, 4, 5, 6, 7), 3,
                x -> x * x + " on " + Thread.currentThread().getName()));

        List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Processes.class.getName());
        List<String> ok = new ArrayList<>(java);
        ok.add("ok");
        System.out.println("5.3 supervise a child that succeeds: attempt " + supervise(ok, Duration.ofSeconds(30), 3));
        List<String> hang = new ArrayList<>(java);
        hang.add("hang");
        try {
            supervise(hang, Duration.ofMillis(500), 2);
        } catch (IllegalStateException e) {
            System.out.println("5.3 supervise a child that hangs: " + e.getMessage()
                    + "; descendants left: " + ProcessHandle.current().descendants().count());
        }
    }

    record PidReport(long processPid, long reportedPid, long reportedParentPid) {}

    // Exercise 5.1: the same java, the same class path, our class, the role, as a list (a
    // path may hold spaces). Parse standard output only: a JVM may print notes on standard
    // error ("Picked up JAVA_TOOL_OPTIONS: ..."), so that goes to our own standard error.
    // Read the output to its end before waitFor (a child blocked on a full pipe never
    // ends), and take the pid from the Process, not from ProcessHandle.current() (that is us).
    static PidReport reportPids() throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Processes.class.getName(), "pids");
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("the child did not end within 30 s");
            if (process.exitValue() != 0) {
                throw new IllegalStateException("the child exited with " + process.exitValue() + ": " + output);
            }
            // The child's line, "pid <n> parent <m>": its last line that starts so (a JVM that
            // cannot use its class-data archive, for one, warns on standard output before main).
            String line = output.lines().filter(text -> text.startsWith("pid ")).reduce((first, last) -> last)
                    .orElseThrow(() -> new IllegalStateException("the child did not print its pid: " + output));
            String[] words = line.split("\\s+");
            return new PidReport(process.pid(), Long.parseLong(words[1]), Long.parseLong(words[3]));
        } finally {
            process.destroyForcibly(); // nothing to do if it ended; ends it on any failure
        }
    }

    // Exercise 5.2: a fixed pool of `workers` threads; futures kept in input order and
    // read in that order. Closing the pool waits for its threads to finish their work.
    static <T, R> List<R> parallelMap(List<T> items, int workers, Function<T, R> function) throws InterruptedException {
        try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) futures.add(pool.submit(() -> function.apply(item)));
            List<R> results = new ArrayList<>(items.size());
            for (Future<R> future : futures) results.add(future.get());
            return results;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a call failed", e.getCause());
        }
    }

    // Exercise 5.3: each attempt ends in a finally that notes the descendants first,
    // kills them all (a hung child may ignore destroy()), and waits for the child.
    static int supervise(List<String> command, Duration limit, int maxAttempts) throws IOException, InterruptedException {
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Process process = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                if (process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) && process.exitValue() == 0) return attempt;
            } finally {
                endTree(process);
            }
        }
        throw new IllegalStateException("gave up after " + maxAttempts + " attempts");
    }

    // Note the descendants first (once the child is gone they are no longer listed), kill
    // them all (SIGKILL cannot be refused), then wait for the child, which is ours to
    // wait for. The descendants end at once too, but they are not our children: their new
    // parent reaps them, so onExit() on them can take a while (or, under a supervisor that
    // reaps late, until it does).
    static void endTree(Process process) throws InterruptedException {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        if (!process.waitFor(10, TimeUnit.SECONDS)) throw new IllegalStateException("process " + process.pid() + " did not end");
    }
}
