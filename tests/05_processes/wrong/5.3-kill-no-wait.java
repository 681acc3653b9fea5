// Known-wrong answer to exercise 5.3: kills the whole tree with destroyForcibly() but never
// waits: the signal is only sent, so it may give up while the last hung child is still there.
class Processes {
    static int supervise(java.util.List<String> command, java.time.Duration limit, int maxAttempts)
            throws java.io.IOException, InterruptedException {
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                if (process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) && process.exitValue() == 0) {
                    return attempt;
                }
            } finally {
                java.util.List<ProcessHandle> descendants = process.descendants().toList();
                process.destroyForcibly();
                descendants.forEach(ProcessHandle::destroyForcibly);
            }
        }
        throw new IllegalStateException("gave up after " + maxAttempts + " attempts");
    }
}
