// Known-wrong answer to exercise 5.1: starts the right java with the right main class,
// but forgets -cp, so the child cannot find the class Processes (our "spawn in a notebook").
class Processes {
    static PidReport reportPids() throws java.io.IOException, InterruptedException {
        java.util.List<String> command = java.util.List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "Processes", "pids");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes()).strip();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("child did not end");
            if (process.exitValue() != 0) throw new IllegalStateException("child exited with " + process.exitValue() + ": " + output);
            String[] words = output.split("\\s+");
            return new PidReport(process.pid(), Long.parseLong(words[1]), Long.parseLong(words[3]));
        } finally {
            process.destroyForcibly();
        }
    }
}
