// Known-wrong answer to exercise 5.1: reads standard output and waits, but never looks at
// the exit code, so a child that failed is reported as if it had succeeded.
class Processes {
    static PidReport reportPids() throws java.io.IOException, InterruptedException {
        java.util.List<String> command = java.util.List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "Processes", "pids");
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String output = new String(process.getInputStream().readAllBytes()).strip();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("child did not end");
            String[] words = output.split("\\s+");
            return new PidReport(process.pid(), Long.parseLong(words[1]), Long.parseLong(words[3]));
        } finally {
            process.destroyForcibly();
        }
    }
}
