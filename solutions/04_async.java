///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//MAIN Async

// Reference answers to the exercises of lessons/04_async.java.
// Run it to see each answer at work: ./jbang solutions/04_async.java

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

class Async {

    static void main(String[] args) throws Exception {
        List<Callable<String>> services = List.of(
                () -> "fast answer",
                () -> { throw new IllegalStateException("503"); },
                () -> { Thread.sleep(60_000); return "too late"; });
        long begin = System.nanoTime();
        System.out.println("4.1 gatherWithFallback: " + gatherWithFallback(services, Duration.ofMillis(300), "fallback")
                + " in " + (System.nanoTime() - begin) / 1_000_000 + " ms");

        CompletableFuture<List<String>> orders = ordersOfAll(List.of("u1", "u2"),
                id -> CompletableFuture.supplyAsync(() -> "user " + id),
                user -> CompletableFuture.supplyAsync(() -> "orders of " + user));
        System.out.println("4.2 ordersOfAll: " + orders.get(5, TimeUnit.SECONDS));

        CompletableFuture<String> first = firstSuccessful(List.of(
                CompletableFuture.failedFuture(new IllegalStateException("mirror a is down")),
                new CompletableFuture<>(),
                CompletableFuture.completedFuture("mirror c")));
        System.out.println("4.3 firstSuccessful: " + first.get(5, TimeUnit.SECONDS));

        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<String> keys = java.util.stream.IntStream.range(0, 20).mapToObj(i -> "k" + i).toList();
        List<String> results = callWithLimit(keys, 4, key -> {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return key.toUpperCase();
        });
        System.out.println("4.4 callWithLimit: " + results + ", peak in flight " + peak.get() + " of limit 4");
    }

    // Exercise 4.1: start every call first, each with the same deadline (the timers of
    // completeOnTimeout start now, together), and a fallback for failures. Not a
    // try-with-resources executor: its close() would wait for the calls that never
    // answer. shutdownNow() interrupts them instead.
    static List<String> gatherWithFallback(List<Callable<String>> services, Duration deadline, String fallback) {
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<CompletableFuture<String>> answers = new ArrayList<>(services.size());
            for (Callable<String> service : services) {
                answers.add(callAsync(service, callers)
                        .completeOnTimeout(fallback, deadline.toMillis(), TimeUnit.MILLISECONDS)
                        .exceptionally(failure -> fallback));
            }
            return answers.stream().map(CompletableFuture::join).toList();
        } finally {
            callers.shutdownNow();
        }
    }

    // supplyAsync for a Callable: a checked exception travels as the cause of a
    // CompletionException, which is how a CompletableFuture carries any failure.
    static <T> CompletableFuture<T> callAsync(Callable<T> call, Executor executor) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, executor);
    }

    // Exercise 4.2: thenCompose chains the dependent lookup without blocking; allOf
    // waits for all of them, and reading the futures in the order of the ids keeps
    // that order. A failure anywhere fails allOf, and so the result.
    static CompletableFuture<List<String>> ordersOfAll(List<String> userIds,
            Function<String, CompletableFuture<String>> findUser,
            Function<String, CompletableFuture<String>> ordersOf) {
        List<CompletableFuture<String>> each = userIds.stream()
                .map(id -> findUser.apply(id).thenCompose(ordersOf))
                .toList();
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(allDone -> each.stream().map(CompletableFuture::join).toList());
    }

    // Exercise 4.3: our own future, completed by the first success; a countdown of the
    // failures fails it when the last attempt has failed. (anyOf would take the first
    // attempt to finish, failures included.)
    static <T> CompletableFuture<T> firstSuccessful(List<CompletableFuture<T>> attempts) {
        CompletableFuture<T> first = new CompletableFuture<>();
        if (attempts.isEmpty()) first.completeExceptionally(new NoSuchElementException("no attempts"));
        AtomicInteger failuresToGo = new AtomicInteger(attempts.size());
        for (CompletableFuture<T> attempt : attempts) {
            attempt.whenComplete((value, failure) -> {
                if (failure == null) first.complete(value);
                else if (failuresToGo.decrementAndGet() == 0) first.completeExceptionally(failure);
            });
        }
        return first;
    }

    // Exercise 4.4: a Semaphore with `limit` permits, acquired before each call starts
    // and released in a finally when it ends, so a call that throws frees its slot too.
    // A virtual thread per call, so the only limit is the semaphore, and a slot freed by
    // any call is used at once. (`Gatherers.mapConcurrent(limit, call::apply)` is not the
    // same: when `limit` calls are pending it waits for the OLDEST one, so one slow call
    // holds the window below `limit`.) If we are interrupted while we wait for a slot,
    // shutdownNow() interrupts the calls in flight; close() would wait for them otherwise.
    static List<String> callWithLimit(List<String> keys, int limit, Function<String, String> call) throws InterruptedException {
        Semaphore slots = new Semaphore(limit);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> futures = new ArrayList<>(keys.size());
            try {
                for (String key : keys) {
                    slots.acquire();
                    futures.add(executor.submit(() -> {
                        try {
                            return call.apply(key);
                        } finally {
                            slots.release();
                        }
                    }));
                }
                return resultsInOrder(futures);
            } catch (InterruptedException e) {
                executor.shutdownNow();
                throw e;
            }
        }
    }

    // Waits for each future in turn; a failed call fails the whole answer.
    static List<String> resultsInOrder(List<Future<String>> futures) throws InterruptedException {
        List<String> results = new ArrayList<>(futures.size());
        try {
            for (Future<String> future : futures) results.add(future.get());
        } catch (ExecutionException e) {
            throw new IllegalStateException("a call failed", e.getCause());
        }
        return results;
    }
}
