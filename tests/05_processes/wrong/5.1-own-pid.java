// Known-wrong answer to exercise 5.1: starts the child correctly, but reports the pid of
// the wrong process: ProcessHandle.current() is the parent, not the child it started.
class Processes {
    static PidReport reportPids() throws java.io.IOException, InterruptedException {
        java.util.List<String> command = java.util.List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "Processes", "pids");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes()).strip();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("child did not end");
            String[] words = output.split("\\s+");
            return new PidReport(ProcessHandle.current().pid(), Long.parseLong(words[1]), Long.parseLong(words[3]));
        } finally {
            process.destroyForcibly();
        }
    }
}
