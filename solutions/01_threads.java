///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//MAIN Threads

// Reference answers to the exercises of lessons/01_threads.java.
// Run it to see each answer at work: ./jbang solutions/01_threads.java

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.Function;
import java.util.function.IntToLongFunction;

class Threads {

    static void main(String[] args) throws Exception {
        long sum = parallelSum(4, part -> (part + 1) * 1_000L);
        System.out.println("1.1 parallelSum over 4 threads: " + sum);

        String where = callOnNewThread("answer-thread", () -> Thread.currentThread().getName());
        System.out.println("1.2 callOnNewThread ran on: " + where);
        try {
            callOnNewThread("failing-thread", () -> { throw new IllegalStateException("boom"); });
        } catch (ExecutionException e) {
            System.out.println("1.2 and its failure came home: " + e.getCause());
        }

        List<String> keys = List.of("a", "b", "c");
        System.out.println("1.3 fetchAll: " + fetchAll(keys, key -> key.toUpperCase()
                + (Thread.currentThread().isVirtual() ? " (virtual)" : " (platform)")));
    }

    // Exercise 1.1: one thread per part, each writes its own slot, then join them all.
    // `join` also makes each thread's write visible to us: a thread's actions happen-before
    // another thread's join on it returns (JLS 17.4.5), so reading `results` after the
    // joins is correct by the memory model, not by luck.
    static long parallelSum(int parts, IntToLongFunction partSum) throws InterruptedException {
        long[] results = new long[parts];
        List<Thread> threads = new ArrayList<>(parts);
        for (int part = 0; part < parts; part++) {
            int index = part;
            threads.add(Thread.ofPlatform().name("part-" + part).start(() -> results[index] = partSum.applyAsLong(index)));
        }
        for (Thread thread : threads) thread.join();
        long total = 0;
        for (long result : results) total += result;
        return total;
    }

    // Exercise 1.2: a FutureTask is a Runnable that keeps the task's result or failure;
    // its get() waits for it and rethrows the failure as an ExecutionException.
    static <T> T callOnNewThread(String threadName, Callable<T> task) throws ExecutionException, InterruptedException {
        FutureTask<T> future = new FutureTask<>(task);
        Thread.ofPlatform().name(threadName).start(future);
        return future.get();
    }

    // Exercise 1.3: one virtual thread per call; keep the futures in the order of the
    // keys and read them in that order. Closing the executor waits for every task.
    static List<String> fetchAll(List<String> keys, Function<String, String> fetch) throws InterruptedException {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> futures = new ArrayList<>(keys.size());
            for (String key : keys) futures.add(executor.submit(() -> fetch.apply(key)));
            List<String> results = new ArrayList<>(keys.size());
            for (Future<String> future : futures) results.add(future.get());
            return results;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a fetch failed", e.getCause());
        }
    }
}
