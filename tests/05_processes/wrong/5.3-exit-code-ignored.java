// Known-wrong answer to exercise 5.3: counts any child that ended within the limit as a
// success, whatever its exit code, so a crash is never retried.
class Processes {
    static int supervise(java.util.List<String> command, java.time.Duration limit, int maxAttempts)
            throws java.io.IOException, InterruptedException {
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                if (process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) return attempt;
            } finally {
                java.util.List<ProcessHandle> descendants = process.descendants().toList();
                process.destroyForcibly();
                descendants.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        throw new IllegalStateException("gave up after " + maxAttempts + " attempts");
    }
}
