// Known-wrong answer to exercise 5.3: kills the hung child and its children(), which is only
// the next level down: the grandchildren's own children are orphaned and keep running.
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
                java.util.List<ProcessHandle> children = process.children().toList();
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        throw new IllegalStateException("gave up after " + maxAttempts + " attempts");
    }
}
