import static org.assertj.core.api.Assertions.fail;

import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tests for exercise 9.3 of lessons/09_remote.java: a cluster of three embedded members in this
 * JVM ("caller", "helper", "doomed"); the work of every item that reaches the doomed member
 * holds there until the test kills that member (terminate(): no goodbye, like a crash).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SurvivingJobTest {

    // What the work saw, shared by every member: they all live in this JVM.
    static final Map<Integer, Integer> finished = new ConcurrentHashMap<>();
    static final Set<Integer> heldOnDoomed = ConcurrentHashMap.newKeySet();
    static volatile CountDownLatch doomedReached = new CountDownLatch(1);
    static volatile CountDownLatch released = new CountDownLatch(1);

    /** The work: item * 10 + 1; on the doomed member it holds until that member is killed. */
    record HoldOnDoomed(String doomedName) implements Remote.ItemWork {
        @Override
        public long apply(int item) throws Exception {
            if (Thread.currentThread().getName().contains(doomedName)) {
                heldOnDoomed.add(item);
                doomedReached.countDown();
                released.await(60, TimeUnit.SECONDS);
                throw new IllegalStateException("item " + item + ": its member was killed while it worked");
            }
            finished.merge(item, 1, Integer::sum);
            return item * 10L + 1;
        }
    }

    Cluster cluster;

    @AfterEach
    void endCluster() {
        released.countDown();
        if (cluster != null) cluster.close();
    }

    @Test
    @Tag("9.3")
    @DisplayName("9.3 a member dies mid-way: every item is counted once, and no finished item runs again")
    void survivesTheLossOfAMember() throws Exception {
        finished.clear();
        heldOnDoomed.clear();
        doomedReached = new CountDownLatch(1);
        released = new CountDownLatch(1);
        cluster = Cluster.of("caller", "helper", "doomed");
        HazelcastInstance caller = cluster.member(0);
        HazelcastInstance doomed = cluster.member(2);
        List<Integer> items = new ArrayList<>();
        for (int i = 1; i <= 40; i++) items.add(i);
        long expected = items.stream().mapToLong(item -> item * 10L + 1).sum();

        FutureTask<Long> job = new FutureTask<>(() -> Remote.sumSurvivingLoss(caller, items,
                new HoldOnDoomed(doomed.getName())));
        Thread.ofPlatform().name("job-caller").start(job);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!doomedReached.await(50, TimeUnit.MILLISECONDS)) {
            if (job.isDone()) {
                long sum = result(job);
                fail("sumSurvivingLoss returned %,d before any item ran on the member 'doomed': send item i to member "
                        + "i %% n with the executor's submitToMember, not run it on the caller", sum);
            }
            if (System.nanoTime() > deadline) {
                fail("after 30 s no item had run on the member 'doomed' (one of 3 members): send item i to member "
                        + "i %% n of caller.getCluster().getMembers() with the executor's submitToMember");
            }
        }
        // Let the other members finish what they have, so that a job that redoes finished work shows it.
        long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (finished.size() + heldOnDoomed.size() < items.size() && System.nanoTime() < settle) Thread.sleep(10);
        doomed.getLifecycleService().terminate();
        released.countDown();

        long sum = result(job);
        List<Integer> missing = new ArrayList<>();
        Map<Integer, Integer> twice = new TreeMap<>();
        for (int item : items) {
            int runs = finished.getOrDefault(item, 0);
            if (runs == 0) missing.add(item);
            if (runs > 1) twice.put(item, runs);
        }
        if (!missing.isEmpty()) {
            fail("the member 'doomed' died while it worked on items %s; items %s never finished anywhere (the sum "
                    + "came out %,d, not %,d): when a task's future fails because its member left "
                    + "(MemberLeftException), submit that item again", heldOnDoomed, missing, sum, expected);
        }
        if (!twice.isEmpty()) {
            fail("items %s finished more than once (item=runs): only the items of the dead member (%s) had to run "
                    + "again; keep the results that came back and redo only the failed ones", twice, heldOnDoomed);
        }
        if (sum != expected) {
            fail("every item finished once, but the sum came out %,d, not %,d: is each item's result counted once?",
                    sum, expected);
        }
    }

    static long result(FutureTask<Long> job) throws Exception {
        try {
            return job.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnsupportedOperationException notDone) throw notDone;
            throw new AssertionError("sumSurvivingLoss threw " + e.getCause() + " after the member 'doomed' (one of 3) "
                    + "was killed while it worked on items " + heldOnDoomed + ": a task whose member left fails with "
                    + "MemberLeftException; run its item again on a member that is alive", e.getCause());
        }
    }
}
