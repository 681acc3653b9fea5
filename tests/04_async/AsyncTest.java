import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tests for the exercises of lessons/04_async.java. Tags name the exercise. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AsyncTest {

    // ---- 4.1 gatherWithFallback ----------------------------------------------------------

    @Test
    @Tag("4.1")
    @DisplayName("4.1 calls all 20 services at the same time and returns their answers in order")
    void gatherCallsEveryServiceAtOnce() throws Exception {
        int count = 20;
        CountDownLatch allCalled = new CountDownLatch(count);
        List<Callable<String>> services = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            services.add(() -> {
                allCalled.countDown();
                // Each service answers only once every service has been called: calls made
                // one at a time, or by a pool of a few threads, never get there.
                return awaitQuietly(allCalled) ? "answer-" + index : "gave up waiting";
            });
        }
        Probe.Caller<List<String>> caller = Probe.call("test-caller",
                () -> Async.gatherWithFallback(services, Probe.PATIENCE.multipliedBy(2), "fallback"));
        try {
            if (!Probe.eventually(() -> allCalled.getCount() == 0 || caller.returned())) {
                fail("only %d of %d services had been called after %d s, while each waited for the others: "
                        + "start every call before you wait for any (and not on a pool of a few threads)",
                        count - allCalled.getCount(), count, Probe.PATIENCE.toSeconds());
            }
        } finally {
            while (allCalled.getCount() > 0) allCalled.countDown();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) expected.add("answer-" + i);
        assertThat(resultOf(caller, "gatherWithFallback"))
                .as("the answers of 20 services that all answered well before the deadline, in the order of the services")
                .containsExactlyElementsOf(expected);
    }

    @Test
    @Tag("4.1")
    @DisplayName("4.1 gives a failed service the fallback, and keeps the others' answers")
    void gatherReplacesAFailureWithTheFallback() throws Exception {
        List<Callable<String>> services = List.of(
                () -> "first",
                () -> { throw new java.io.IOException("connection reset"); },
                () -> "third",
                () -> { throw new IllegalStateException("503"); });
        Probe.Caller<List<String>> caller = Probe.call("test-caller",
                () -> Async.gatherWithFallback(services, Probe.PATIENCE.multipliedBy(2), "fallback"));
        if (!Probe.eventually(caller::returned)) {
            fail("gatherWithFallback had not returned after %d s, though every service answered or failed at once",
                    Probe.PATIENCE.toSeconds());
        }
        try {
            caller.future().get();
        } catch (ExecutionException e) {
            fail("gatherWithFallback threw %s when two of four services failed: give each failed call the fallback "
                    + "(exceptionally or handle) instead of letting one failure fail them all", String.valueOf(e.getCause()));
        }
        assertThat(caller.result())
                .as("services 2 and 4 threw; they must get the fallback, the others their answers")
                .containsExactly("first", "fallback", "third", "fallback");
    }

    @Test
    @Tag("4.1")
    @DisplayName("4.1 returns soon after the deadline, the fallback for the 12 services that never answer, and interrupts them")
    void gatherHonoursTheDeadline() throws Exception {
        Duration deadline = Duration.ofSeconds(2);
        int hung = 12;
        CountDownLatch testOver = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(hung);
        List<Callable<String>> services = new ArrayList<>();
        services.add(() -> "quick answer");
        services.add(() -> { throw new IllegalStateException("503"); });
        for (int i = 0; i < hung; i++) {
            services.add(() -> {
                try {
                    testOver.await(); // never answers while the test runs (unless interrupted)
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
                return "too late";
            });
        }
        Probe.Caller<List<String>> caller =
                Probe.call("test-caller", () -> Async.gatherWithFallback(services, deadline, "fallback"));
        try {
            // A correct answer returns just after the deadline; we give it PATIENCE more.
            // Waiting for the hung calls (with no timeout, or a timeout per call in turn)
            // takes forever, or 12 deadlines.
            Duration limit = deadline.plus(Probe.PATIENCE);
            try {
                Awaitility.await().atMost(limit).pollInterval(Duration.ofMillis(2)).until(caller::returned);
            } catch (ConditionTimeoutException stillWaiting) {
                fail("gatherWithFallback had not returned %d s after it was called, with a deadline of %d s and %d services"
                        + " that never answer: does every call have a timeout, all counted from the start, and does"
                        + " nothing wait for the hung calls (a try-with-resources executor's close() does)?",
                        limit.toSeconds(), deadline.toSeconds(), hung);
            }
            try {
                caller.future().get();
            } catch (ExecutionException e) {
                fail("gatherWithFallback threw %s: a failed or late service gets the fallback instead",
                        String.valueOf(e.getCause()));
            }
            List<String> expected = new ArrayList<>(List.of("quick answer", "fallback"));
            for (int i = 0; i < hung; i++) expected.add("fallback");
            assertThat(caller.result())
                    .as("one quick answer, one failure, then %d services that never answered", hung)
                    .containsExactlyElementsOf(expected);
            if (!Probe.await(interrupted)) {
                fail("gatherWithFallback returned, but %d of the %d calls that never answer had not been interrupted %d s"
                        + " later: they still run, and hold their threads. Once their time is up, end them: shutdownNow()"
                        + " on the executor interrupts them (cancel(true) on a CompletableFuture does not, and"
                        + " shutdown() lets them run on)", interrupted.getCount(), hung, Probe.PATIENCE.toSeconds());
            }
        } finally {
            testOver.countDown();
        }
    }

    @Test
    @Tag("4.1")
    @DisplayName("4.1 returns the answers in the order of the services, though they answer last-first")
    void gatherKeepsTheOrderOfTheServices() throws Exception {
        int count = 6;
        List<CountDownLatch> mayAnswer = new ArrayList<>();
        Map<Integer, Thread> callThreads = new ConcurrentHashMap<>();
        Map<Integer, Boolean> answering = new ConcurrentHashMap<>();
        List<Callable<String>> services = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            mayAnswer.add(new CountDownLatch(1));
            services.add(() -> {
                callThreads.put(index, Thread.currentThread());
                awaitQuietly(mayAnswer.get(index));
                answering.put(index, true);
                return "answer-" + index;
            });
        }
        Probe.Caller<List<String>> caller = Probe.call("test-caller",
                () -> Async.gatherWithFallback(services, Probe.PATIENCE.multipliedBy(3), "fallback"));
        try {
            if (!Probe.eventually(() -> callThreads.size() == count || caller.returned())) {
                fail("only %d of %d services had been called after %d s: start every call before you wait for any",
                        callThreads.size(), count, Probe.PATIENCE.toSeconds());
            }
            stillRunning(caller, "gatherWithFallback");
            // Each service answers only after the one after it has answered, and its
            // thread has done whatever the answer does with the result.
            for (int i = count - 1; i >= 0; i--) {
                int index = i;
                mayAnswer.get(i).countDown();
                if (!Probe.eventually(() -> answering.containsKey(index) && Probe.settled(callThreads.get(index)))) {
                    fail("the thread of service %d was still busy %d s after the service answered", index,
                            Probe.PATIENCE.toSeconds());
                }
            }
        } finally {
            mayAnswer.forEach(CountDownLatch::countDown);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) expected.add("answer-" + i);
        assertThat(resultOf(caller, "gatherWithFallback"))
                .as("the services answered last-first, well before the deadline; the answers must still follow the"
                        + " order of the services (keep one future per service, in that order, and join them in it)")
                .containsExactlyElementsOf(expected);
    }

    // ---- 4.2 ordersOfAll -------------------------------------------------------------------

    @Test
    @Tag("4.2")
    @DisplayName("4.2 looks up every user at once, then each user's orders, never blocks, keeps the order of the ids")
    void ordersOfAllChainsWithoutBlocking() throws Exception {
        List<String> ids = List.of("u0", "u1", "u2", "u3", "u4");
        Map<String, CompletableFuture<String>> userLookups = new ConcurrentHashMap<>();
        Map<String, CompletableFuture<String>> orderLookups = new ConcurrentHashMap<>();
        AtomicBoolean testOver = new AtomicBoolean();
        Probe.Caller<CompletableFuture<List<String>>> caller = Probe.call("test-caller", () -> Async.ordersOfAll(ids,
                id -> userLookups.computeIfAbsent(id, key -> new CompletableFuture<>()),
                user -> testOver.get() ? CompletableFuture.completedFuture("test over")
                        : orderLookups.computeIfAbsent(user, key -> new CompletableFuture<>())));
        try {
            if (!Probe.eventually(caller::returned)) {
                fail("ordersOfAll did not return while its lookups were pending (%d of %d users looked up): return a"
                        + " future at once, and do not join or get inside", userLookups.size(), ids.size());
            }
            CompletableFuture<List<String>> result = caller.result();
            assertThat(userLookups.keySet()).as("the users looked up as soon as ordersOfAll returned")
                    .containsExactlyInAnyOrderElementsOf(ids);
            assertThat(orderLookups).as("orders looked up before any user was known (ordersOf needs the user)").isEmpty();
            assertThat(result.isDone()).as("the result was complete before any lookup had answered").isFalse();

            // Users become known last-first, each completed on a thread of our own: a
            // callback that blocks would hold that thread.
            for (int i = ids.size() - 1; i >= 0; i--) {
                String id = ids.get(i);
                completeOnAThreadOfItsOwn("the lookup of user " + id, () -> userLookups.get(id).complete("user-" + id));
                if (!Probe.eventually(() -> orderLookups.containsKey("user-" + id))) {
                    fail("user %s became known as 'user-%s', but ordersOf was not called with it (orders looked up: %s):"
                            + " chain the orders lookup onto the user lookup with thenCompose", id, id, orderLookups.keySet());
                }
            }
            for (int i = ids.size() - 1; i >= 0; i--) {
                String user = "user-" + ids.get(i);
                if (i > 0) {
                    assertThat(result.isDone())
                            .as("the result completed while the orders of %s were still pending", "user-" + ids.get(0)).isFalse();
                }
                completeOnAThreadOfItsOwn("the orders of " + user, () -> orderLookups.get(user).complete("orders of " + user));
            }
            assertThat(result.get(Probe.PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the lookups finished in reverse order; the orders must still follow the order of the ids")
                    .containsExactly("orders of user-u0", "orders of user-u1", "orders of user-u2", "orders of user-u3",
                            "orders of user-u4");
        } finally {
            // Release whatever is still pending, orders first, so that no callback of the
            // code under test can block this thread.
            testOver.set(true);
            orderLookups.values().forEach(lookup -> lookup.complete("test over"));
            userLookups.values().forEach(lookup -> lookup.complete("test over"));
        }
    }

    @Test
    @Tag("4.2")
    @DisplayName("4.2 fails with the cause of a failed lookup, and skips the orders of that user")
    void ordersOfAllFailsWithTheLookupsFailure() throws Exception {
        IllegalStateException userMissing = new IllegalStateException("no user u1");
        Map<String, Integer> orderCalls = new ConcurrentHashMap<>();
        Probe.Caller<CompletableFuture<List<String>>> caller = Probe.call("test-caller", () -> Async.ordersOfAll(
                List.of("u0", "u1", "u2"),
                id -> id.equals("u1") ? CompletableFuture.failedFuture(userMissing)
                        : CompletableFuture.completedFuture("user-" + id),
                user -> {
                    orderCalls.merge(user, 1, Integer::sum);
                    return CompletableFuture.completedFuture("orders of " + user);
                }));
        if (!Probe.eventually(caller::returned)) fail("ordersOfAll did not return, though every lookup was complete already");
        CompletableFuture<List<String>> result;
        try {
            result = caller.result();
        } catch (ExecutionException e) {
            fail("ordersOfAll threw %s itself: return a future that fails instead", String.valueOf(e.getCause()));
            return;
        }
        try {
            List<String> orders = result.get(Probe.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            fail("the lookup of user u1 failed, but ordersOfAll's future completed with %s", orders);
        } catch (ExecutionException e) {
            assertThat(e.getCause())
                    .as("the cause of the failure: the exception the failed lookup completed with")
                    .isSameAs(userMissing);
        } catch (TimeoutException e) {
            fail("the lookup of user u1 failed, but ordersOfAll's future never completed: let the failure through");
        }
        assertThat(orderCalls).as("the users whose orders were looked up (u1 was never found)")
                .containsOnlyKeys("user-u0", "user-u2");
    }

    // ---- 4.3 firstSuccessful -----------------------------------------------------------------

    @Test
    @Tag("4.3")
    @DisplayName("4.3 ignores a failure that comes first and completes with the first success, not waiting for the rest")
    void firstSuccessfulIgnoresEarlyFailures() throws Exception {
        List<CompletableFuture<String>> attempts = List.of(new CompletableFuture<>(), new CompletableFuture<>(),
                new CompletableFuture<>(), new CompletableFuture<>());
        CompletableFuture<String> first = returnedAtOnce(attempts);
        assertThat(first.isDone()).as("firstSuccessful's future was complete before any attempt had finished").isFalse();

        attempts.get(0).completeExceptionally(new IllegalStateException("mirror 0 is down"));
        if (first.isDone()) {
            fail("attempt 0 failed and nothing else had finished, yet the result completed with %s: a failure"
                    + " must not win while other attempts may still succeed (anyOf takes the first to finish)", outcome(first));
        }
        attempts.get(2).complete("mirror 2");
        attempts.get(3).complete("mirror 3");
        // attempt 1 never finishes.
        try {
            assertThat(first.get(Probe.PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                    .as("attempt 0 failed, then attempts 2 and 3 succeeded, in that order")
                    .isEqualTo("mirror 2");
        } catch (TimeoutException e) {
            fail("attempt 2 succeeded, but the result was still not complete after %d s: do not wait for every"
                    + " attempt (attempt 1 never finishes)", Probe.PATIENCE.toSeconds());
        } catch (ExecutionException e) {
            fail("attempts 2 and 3 succeeded, yet the result failed with %s", String.valueOf(e.getCause()));
        }
    }

    @Test
    @Tag("4.3")
    @DisplayName("4.3 fails only when every attempt has failed, with one of their exceptions")
    void firstSuccessfulFailsWhenAllFail() throws Exception {
        List<CompletableFuture<String>> attempts = List.of(new CompletableFuture<>(), new CompletableFuture<>(),
                new CompletableFuture<>());
        List<Exception> failures = List.of(new IllegalStateException("mirror 0 is down"),
                new java.io.IOException("mirror 1 timed out"), new IllegalArgumentException("mirror 2: bad request"));
        CompletableFuture<String> first = returnedAtOnce(attempts);
        for (int i = 0; i < attempts.size(); i++) {
            if (first.isDone()) {
                fail("only %d of %d attempts had failed (none succeeded yet), but the result completed with %s",
                        i, attempts.size(), outcome(first));
            }
            attempts.get(i).completeExceptionally(failures.get(i));
        }
        try {
            String value = first.get(Probe.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            fail("every attempt failed, yet the result completed with the value %s: it must fail", value);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).as("the cause of the failure, when every attempt failed").isIn(failures);
        } catch (TimeoutException e) {
            fail("every attempt failed, but the result never completed: count the failures, and fail when"
                    + " the last one has failed");
        }
    }

    @Test
    @Tag("4.3")
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    @DisplayName("4.3 fails when the last attempt fails, though the attempts fail at once on two threads (Lincheck)")
    void firstSuccessfulCountsFailuresFromTwoThreads() throws Exception {
        // Two attempts fail at the same moment on two threads. Lincheck (in a child JVM:
        // see FirstSuccessfulRace) runs that many times and chooses where each thread is
        // switched out, so it tries the interleavings in which the two failure callbacks overlap.
        // One call here first, on attempts that have all failed already: an answer that throws (one not
        // written yet, say) fails at once, not after Lincheck's JVM has started.
        Async.firstSuccessful(List.of(CompletableFuture.<String>failedFuture(new IllegalStateException("mirror 0"))));
        // C1 only: Lincheck's instrumented code is short-lived, and C2 compiling it competes for the cores
        // (3-7 s faster on 2 cores; what Lincheck explores does not depend on the JIT).
        Jvm.Result race = Jvm.run(Duration.ofSeconds(140), List.of("-XX:+EnableDynamicAgentLoading", "-XX:TieredStopAtLevel=1"),
                FirstSuccessfulRace.class, String.valueOf(LINCHECK_INVOCATIONS));
        if (race.timedOut()) {
            fail("Lincheck had not finished exploring two attempts failing at once after %d s (it runs your"
                    + " firstSuccessful %d times): does a callback wait for something?", race.millis() / 1000,
                    LINCHECK_INVOCATIONS);
        }
        if (race.exitCode() == 1) {
            fail("two attempts failed at the same moment on two threads, and in one interleaving (found by Lincheck)"
                    + " firstSuccessful's future never completed: both failure callbacks read the count of failures"
                    + " before either wrote it back, so one failure was lost. `--count` on an int (even a volatile"
                    + " one) is a read and then a write, and so is a get() followed by a decrement: use"
                    + " AtomicInteger.decrementAndGet(), which does both in one step, and test the value it returns.");
        }
        if (race.exitCode() != 0) {
            fail("two attempts failed at the same moment on two threads, and Lincheck found a run that went wrong"
                    + " (exit code %d):%n%s", race.exitCode(), summary(race.output()));
        }
    }

    // ---- 4.4 callWithLimit -------------------------------------------------------------------

    @Test
    @Tag("4.4")
    @DisplayName("4.4 keeps exactly `limit` calls in flight, never more, and returns the results in order")
    void callWithLimitFillsButNeverExceedsTheLimit() throws Exception {
        int limit = 4;
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 24; i++) keys.add("key-" + i);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Probe.Caller<List<String>> caller = Probe.call("test-caller", () -> Async.callWithLimit(keys, limit, key -> {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                awaitQuietly(release);
                return key.toUpperCase();
            } finally {
                inFlight.decrementAndGet();
            }
        }));
        try {
            if (!Probe.eventually(() -> inFlight.get() >= limit || caller.returned())) {
                fail("only %d call(s) were in flight at the same time, with a limit of %d and %d keys: run up to"
                        + " `limit` calls concurrently", inFlight.get(), limit, keys.size());
            }
            if (caller.returned()) fail("callWithLimit returned %s while its calls were still running", caller.describe());
            // No call can finish yet. A correct answer stays at the limit; give a wrong
            // one a second to start more than that.
            try {
                Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(2))
                        .until(() -> peak.get() > limit);
            } catch (ConditionTimeoutException stayedWithinTheLimit) {
                // as it should
            }
        } finally {
            release.countDown();
        }
        List<String> results = resultOf(caller, "callWithLimit");
        if (peak.get() != limit) {
            fail("%d calls were in flight at once, with a limit of %d: is a slot taken before every call starts,"
                    + " and given back only after it has ended?", peak.get(), limit);
        }
        assertThat(results).as("the results, in the order of the keys")
                .containsExactlyElementsOf(keys.stream().map(String::toUpperCase).toList());
    }

    @Test
    @Tag("4.4")
    @DisplayName("4.4 calls every key exactly once, with limits of 1, 3 and more than the keys")
    void callWithLimitCallsEveryKeyOnce() throws Exception {
        for (int limit : new int[] {1, 3, 50}) {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 30; i++) keys.add("k" + i);
            Map<String, Integer> calls = new ConcurrentHashMap<>();
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            int chosenLimit = limit;
            Probe.Caller<List<String>> caller = Probe.call("test-caller", () -> Async.callWithLimit(keys, chosenLimit, key -> {
                peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                calls.merge(key, 1, Integer::sum);
                inFlight.decrementAndGet();
                return key + "!";
            }));
            List<String> results = resultOf(caller, "callWithLimit");
            assertThat(calls).as("how many times each key was called, limit %d", limit).hasSize(keys.size())
                    .allSatisfy((key, times) -> assertThat(times).as("calls of %s", key).isEqualTo(1));
            assertThat(peak.get()).as("calls in flight at once never exceed the limit of %d", limit).isBetween(1, limit);
            assertThat(results).as("the results for limit %d, in the order of the keys", limit)
                    .containsExactlyElementsOf(keys.stream().map(key -> key + "!").toList());
        }
    }

    @Test
    @Tag("4.4")
    @DisplayName("4.4 keeps the window full past a slow first call: the other 11 calls all start while it runs")
    void callWithLimitKeepsTheWindowFullPastASlowCall() throws Exception {
        int limit = 3;
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 12; i++) keys.add("key-" + i);
        String slowKey = keys.get(0);
        CountDownLatch othersStarted = new CountDownLatch(keys.size() - 1);
        CountDownLatch slowCallMayEnd = new CountDownLatch(1);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Probe.Caller<List<String>> caller = Probe.call("test-caller", () -> Async.callWithLimit(keys, limit, key -> {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                // The first call ends only once every other call has started; the others end at once.
                if (key.equals(slowKey)) awaitQuietly(slowCallMayEnd);
                else othersStarted.countDown();
                return key.toUpperCase();
            } finally {
                inFlight.decrementAndGet();
            }
        }));
        try {
            boolean allStarted = Probe.eventually(() -> othersStarted.getCount() == 0 || caller.returned());
            stillRunning(caller, "callWithLimit");
            if (!allStarted) {
                fail("the call for %s was still running, and only %d of the other %d calls had started %d s later, though"
                        + " each of them ends at once: start the next call as soon as any call ends, not when the oldest"
                        + " one does (batches of `limit` calls, and Gatherers.mapConcurrent, wait for the oldest)",
                        slowKey, keys.size() - 1 - othersStarted.getCount(), keys.size() - 1, Probe.PATIENCE.toSeconds());
            }
        } finally {
            slowCallMayEnd.countDown();
        }
        List<String> results = resultOf(caller, "callWithLimit");
        assertThat(peak.get()).as("calls in flight at once, with a limit of %d", limit).isBetween(1, limit);
        assertThat(results).as("the results, in the order of the keys")
                .containsExactlyElementsOf(keys.stream().map(String::toUpperCase).toList());
    }

    @Test
    @Tag("4.4")
    @DisplayName("4.4 returns the results in the order of the keys, though the calls end last-first")
    void callWithLimitKeepsTheOrderOfTheKeys() throws Exception {
        int count = 6;
        List<String> keys = new ArrayList<>();
        List<CountDownLatch> mayEnd = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add("key-" + i);
            mayEnd.add(new CountDownLatch(1));
        }
        Map<String, Thread> callThreads = new ConcurrentHashMap<>();
        Map<String, Boolean> returning = new ConcurrentHashMap<>();
        Probe.Caller<List<String>> caller = Probe.call("test-caller", () -> Async.callWithLimit(keys, count, key -> {
            callThreads.put(key, Thread.currentThread());
            awaitQuietly(mayEnd.get(keys.indexOf(key)));
            returning.put(key, true);
            return key.toUpperCase();
        }));
        try {
            if (!Probe.eventually(() -> callThreads.size() == count || caller.returned())) {
                fail("only %d of %d calls had started, with a limit of %d: run up to `limit` calls concurrently",
                        callThreads.size(), count, count);
            }
            stillRunning(caller, "callWithLimit");
            // Each call ends only after the one after it has ended, and its thread has
            // done whatever the answer does with the result.
            for (int i = count - 1; i >= 0; i--) {
                String key = keys.get(i);
                mayEnd.get(i).countDown();
                if (!Probe.eventually(() -> returning.containsKey(key) && Probe.settled(callThreads.get(key)))) {
                    fail("the thread of the call for %s was still busy %d s after the call returned",
                            key, Probe.PATIENCE.toSeconds());
                }
            }
        } finally {
            mayEnd.forEach(CountDownLatch::countDown);
        }
        assertThat(resultOf(caller, "callWithLimit"))
                .as("the calls ended last-first; the results must still follow the order of the keys (keep one future per"
                        + " key, in key order, and read them in that order)")
                .containsExactlyElementsOf(keys.stream().map(String::toUpperCase).toList());
    }

    @Test
    @Tag("4.4")
    @DisplayName("4.4 gives the slot back when a call throws, calls every key, then throws with that call's exception")
    void callWithLimitFreesTheSlotOfAFailedCall() throws Exception {
        int limit = 2;
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 10; i++) keys.add("key-" + i);
        Map<String, RuntimeException> failures = Map.of(
                "key-0", new IllegalStateException("503 for key-0"), "key-1", new IllegalStateException("503 for key-1"));
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        Probe.Caller<List<String>> caller = Probe.call("test-caller", () -> Async.callWithLimit(keys, limit, key -> {
            calls.merge(key, 1, Integer::sum);
            if (failures.containsKey(key)) throw failures.get(key);
            return key.toUpperCase();
        }));
        if (!Probe.eventually(caller::returned)) {
            fail("the first %d calls threw, and %d s later callWithLimit had called only %d of %d keys and not returned:"
                    + " is the slot given back in a `finally`, so that a call that throws frees it too?",
                    limit, Probe.PATIENCE.toSeconds(), calls.size(), keys.size());
        }
        try {
            List<String> results = caller.future().get();
            fail("the calls for key-0 and key-1 threw, yet callWithLimit returned %s: let the failure through (throw,"
                    + " with the call's exception as the cause)", results);
        } catch (ExecutionException e) {
            if (causes(e.getCause()).stream().noneMatch(failures.values()::contains)) {
                fail("the calls for key-0 and key-1 threw, and callWithLimit threw %s, which neither of them caused:"
                        + " make the exception a call threw the cause of yours", e.getCause());
            }
        }
        assertThat(calls).as("how many times each key was called, though two calls threw").hasSize(keys.size())
                .allSatisfy((key, times) -> assertThat(times).as("calls of %s", key).isEqualTo(1));
    }

    @Test
    @Tag("4.4")
    @DisplayName("4.4 when interrupted, starts no more calls, interrupts those in flight and throws InterruptedException")
    void callWithLimitStopsWhenInterrupted() throws Exception {
        int limit = 2;
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 10; i++) keys.add("key-" + i);
        Map<String, Boolean> started = new ConcurrentHashMap<>();
        AtomicInteger interruptedCalls = new AtomicInteger();
        CountDownLatch testOver = new CountDownLatch(1);
        Probe.Caller<List<String>> caller = Probe.call("test-caller", () -> Async.callWithLimit(keys, limit, key -> {
            started.put(key, true);
            try {
                testOver.await(); // ends only when interrupted (or when the test is over)
            } catch (InterruptedException e) {
                interruptedCalls.incrementAndGet();
            }
            return key.toUpperCase();
        }));
        try {
            if (!Probe.eventually(() -> (started.size() >= limit && caller.waiting()) || caller.returned())) {
                fail("%d calls started, and callWithLimit was not waiting for a free slot: with a limit of %d and %d keys,"
                        + " it must be", started.size(), limit, keys.size());
            }
            stillRunning(caller, "callWithLimit");
            caller.thread().interrupt();
            if (!Probe.eventually(caller::returned)) {
                fail("callWithLimit's thread was interrupted while %d calls were in flight, and %d s later it had not"
                        + " returned (%d of them were interrupted): stop waiting for a slot, interrupt the calls in flight"
                        + " (shutdownNow()), then throw the InterruptedException. An executor's close() waits for calls"
                        + " that nobody interrupted.", limit, Probe.PATIENCE.toSeconds(), interruptedCalls.get());
            }
            try {
                fail("callWithLimit's thread was interrupted, yet it returned %s: throw the InterruptedException",
                        caller.future().get());
            } catch (ExecutionException e) {
                assertThat(e.getCause()).as("what callWithLimit threw when its thread was interrupted")
                        .isInstanceOf(InterruptedException.class);
            }
            assertThat(started.keySet()).as("the keys called: only the first %d, started before the interrupt", limit)
                    .containsExactlyInAnyOrderElementsOf(keys.subList(0, limit));
            if (!Probe.eventually(() -> interruptedCalls.get() == limit)) {
                fail("callWithLimit threw InterruptedException, but only %d of the %d calls in flight were interrupted:"
                        + " the others are still running; interrupt them (shutdownNow())", interruptedCalls.get(), limit);
            }
        } finally {
            testOver.countDown();
        }
    }

    // ---- helpers -------------------------------------------------------------------------

    /** Lincheck's runs of the race test: the countdown races of 4.3 we know are found in 40 or fewer. */
    static final int LINCHECK_INVOCATIONS = 200;

    /** The part of a Lincheck report that names what went wrong: no JVM warnings, no trace table. */
    static String summary(String report) {
        return report.lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("|") && !line.startsWith("WARNING")
                        && !line.startsWith("[WARN]") && !line.startsWith("OpenJDK"))
                .takeWhile(line -> !line.startsWith("The following interleaving")).limit(12)
                .reduce((a, b) -> a + System.lineSeparator() + b).orElse(report);
    }

    static <T> T resultOf(Probe.Caller<T> caller, String method) throws Exception {
        if (!Probe.eventually(caller::returned)) {
            fail("%s had not returned %d s after its calls could all finish", method, Probe.PATIENCE.toSeconds());
        }
        try {
            return caller.future().get();
        } catch (ExecutionException e) {
            throw new AssertionError(method + " threw " + e.getCause(), e.getCause());
        }
    }

    static <T> CompletableFuture<T> returnedAtOnce(List<CompletableFuture<T>> attempts) throws Exception {
        Probe.Caller<CompletableFuture<T>> caller = Probe.call("test-caller", () -> Async.firstSuccessful(attempts));
        if (!Probe.eventually(caller::returned)) {
            fail("firstSuccessful did not return while the attempts were pending: return a future at once, do not"
                    + " join or get inside");
        }
        return caller.result();
    }

    /** Runs {@code completion} on a new thread and fails if it does not return: a callback blocked it. */
    static void completeOnAThreadOfItsOwn(String what, Runnable completion) {
        Probe.Caller<Object> completer = Probe.call("test-completer", () -> {
            completion.run();
            return null;
        });
        if (!Probe.eventually(completer::returned)) {
            fail("completing %s blocked the completing thread for %d s: a callback (thenApply, thenAccept...) waits"
                    + " with join or get inside; chain the next lookup with thenCompose instead",
                    what, Probe.PATIENCE.toSeconds());
        }
    }

    /** Fails if the learner's method has returned (or thrown) while the calls the test holds have not ended. */
    static void stillRunning(Probe.Caller<?> caller, String method) throws Exception {
        if (caller.returned()) {
            Object result = resultOf(caller, method); // an AssertionError saying what it threw, if it threw
            fail("%s returned %s before the calls it made had ended", method, result);
        }
    }

    /** An exception and its causes, outermost first. */
    static List<Throwable> causes(Throwable thrown) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = thrown; t != null && !chain.contains(t); t = t.getCause()) chain.add(t);
        return chain;
    }

    static String outcome(CompletableFuture<?> future) {
        if (future.isCompletedExceptionally()) {
            return "a failure, " + future.exceptionNow();
        }
        return "the value " + future.resultNow();
    }

    /** Waits for the latch up to twice PATIENCE; false if it did not open by then. */
    static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(Probe.PATIENCE.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
