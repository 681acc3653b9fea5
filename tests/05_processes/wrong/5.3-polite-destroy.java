// Known-wrong answer to exercise 5.3: ends the child and its descendants with destroy(),
// a polite request, and does not wait: a child busy in its shutdown hook is still there.
class Processes {
    static int supervise(java.util.List<String> command, java.time.Duration limit, int maxAttempts) throws java.io.IOException, InterruptedException {
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                if (process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) && process.exitValue() == 0) {
                    return attempt;
                }
            } finally {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
            }
        }
        throw new IllegalStateException("gave up after " + maxAttempts + " attempts");
    }
}
