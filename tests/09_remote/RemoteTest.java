import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.hazelcast.map.IMap;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tests for exercises 9.1 and 9.2 of lessons/09_remote.java, on one cluster of three embedded
 * members in this JVM (formed once for the class). Tags name the exercise.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RemoteTest {

    static Cluster cluster;

    @BeforeAll
    static void formCluster() {
        cluster = Cluster.of("first", "second", "third");
    }

    @AfterAll
    static void endCluster() {
        if (cluster != null) cluster.close();
    }

    // ---- 9.1 addToCounter -----------------------------------------------------------------

    /**
     * The map as one caller sees it, with a gate: each caller's first two get()s, once they have
     * returned, wait until every caller has made that get() too (or 5 s passed, when a lock keeps
     * the others out). So every caller reads the same value before any of them writes, on every
     * run: first the missing entry, then (after one putIfAbsent won) the same count. A get and a
     * put then lose updates every time, and so does a replace(key, old, new) that is not retried.
     * Everything else goes to the map as it is.
     */
    @SuppressWarnings("unchecked")
    static IMap<String, Long> gatedOnFirstGets(IMap<String, Long> map, CyclicBarrier readsDone) {
        int[] gated = new int[1];
        return (IMap<String, Long>) Proxy.newProxyInstance(IMap.class.getClassLoader(), new Class<?>[] {IMap.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(map, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("get") && gated[0] < 2) {
                        gated[0]++;
                        try {
                            readsDone.await(5, TimeUnit.SECONDS);
                        } catch (TimeoutException | BrokenBarrierException e) {
                            // a lock kept the others out, or a caller reads no more: go on alone
                        }
                    }
                    return result;
                });
    }

    @Test
    @Tag("9.1")
    @DisplayName("9.1 three members add to one counter at the same moment: no update is lost")
    void threeMembersLoseNothing() throws Exception {
        String key = "counter-" + System.nanoTime();
        int times = 200;
        int callers = 3;
        CyclicBarrier readsDone = new CyclicBarrier(callers);
        CountDownLatch startGate = new CountDownLatch(1);
        List<FutureTask<Void>> calls = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            IMap<String, Long> counters = gatedOnFirstGets(cluster.member(i).getMap("counters"), readsDone);
            FutureTask<Void> call = new FutureTask<>(() -> {
                startGate.await();
                Remote.addToCounter(counters, key, times);
                return null;
            });
            calls.add(call);
            Thread.ofPlatform().name("caller-on-member-" + i).start(call);
        }
        startGate.countDown();
        for (FutureTask<Void> call : calls) rethrow(call);
        Long counted = cluster.member(0).<String, Long>getMap("counters").get(key);
        long expected = (long) callers * times;
        if (counted == null || counted != expected) {
            fail("3 members each added %d to '%s' at the same moment: the entry holds %s, not %d (lost %s): "
                    + "a get and a put are two steps, and another member can write between them; make the "
                    + "read-add-write one step on the member that owns the key (an entry processor), or lock the key, "
                    + "or retry a replace(key, old, new) until it succeeds", times, key, counted, expected,
                    counted == null ? "all" : String.format("%,d", expected - counted));
        }
    }

    @Test
    @Tag("9.1")
    @DisplayName("9.1 one caller, a missing entry: it counts from 0")
    void missingEntryCountsFromZero() throws Exception {
        String key = "fresh-" + System.nanoTime();
        Remote.addToCounter(cluster.member(1).getMap("counters"), key, 25);
        assertThat(cluster.member(2).<String, Long>getMap("counters").get(key))
                .as("the entry '%s' after addToCounter(map, key, 25) on a map without it", key).isEqualTo(25L);
    }

    static void rethrow(Future<?> call) throws Exception {
        try {
            call.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        }
    }

    // ---- 9.2 wordCount --------------------------------------------------------------------

    /** Methods of IMap that bring entries' values (the documents) to the caller. */
    static final Set<String> PULLS_VALUES = Set.of("get", "getAsync", "getAll", "getAllAsync", "values", "entrySet",
            "getEntryView", "remove", "removeAsync", "iterator", "put", "putAsync", "replace", "getOrDefault",
            "computeIfPresent", "compute", "merge", "localValues");

    /** The documents as the caller sees them, recording every call that would pull texts here. */
    @SuppressWarnings("unchecked")
    static IMap<String, String> watched(IMap<String, String> map, List<String> pulls) {
        return (IMap<String, String>) Proxy.newProxyInstance(IMap.class.getClassLoader(), new Class<?>[] {IMap.class},
                (proxy, method, args) -> {
                    if (PULLS_VALUES.contains(method.getName())) pulls.add("documents." + method.getName() + "()");
                    try {
                        return method.invoke(map, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    static final Pattern WORD = Pattern.compile("\\p{L}+");

    static Map<String, Long> expectedCounts(Map<String, String> documents) {
        Map<String, Long> counts = new TreeMap<>();
        for (String text : documents.values()) {
            Matcher words = WORD.matcher(text);
            while (words.find()) counts.merge(words.group().toLowerCase(Locale.ROOT), 1L, Long::sum);
        }
        return counts;
    }

    @Test
    @Tag("9.2")
    @DisplayName("9.2 counts every word of 60 documents spread over 3 members, without pulling a document to the caller")
    void countsWhereTheDataLives() {
        String name = "documents-" + System.nanoTime();
        List<String> lines = List.of("The cat sat on the mat.", "Über café: the CAT's naïve déjà vu!",
                "one, two; three... two-one", "Zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich",
                "to be or not to be", "   ", "42 is not a word, but forty-two is two");
        Map<String, String> documents = new TreeMap<>();
        for (int i = 0; i < 60; i++) documents.put("doc-" + i, lines.get(i % lines.size()) + " doc" + " x".repeat(i % 4));
        IMap<String, String> stored = cluster.member(1).getMap(name);
        stored.putAll(documents);
        int owners = (int) documents.keySet().stream()
                .map(key -> cluster.member(0).getPartitionService().getPartition(key).getOwner()).distinct().count();
        assertThat(owners).as("members holding the test's documents").isEqualTo(3);

        List<String> pulls = new ArrayList<>();
        Map<String, Long> counted = Remote.wordCount(watched(cluster.member(0).getMap(name), pulls));
        if (!pulls.isEmpty()) {
            fail("wordCount called %s on the documents: that brings the texts to the caller; count on the members that "
                    + "hold them (an entry processor, an aggregation, or a task per member) and bring back counts only",
                    pulls.stream().distinct().toList());
        }
        Map<String, Long> expected = expectedCounts(documents);
        Map<String, String> wrong = new TreeMap<>();
        for (String word : expected.keySet()) {
            Long got = counted == null ? null : counted.get(word);
            if (!expected.get(word).equals(got)) wrong.put(word, "counted " + got + ", expected " + expected.get(word));
        }
        if (counted != null) {
            for (String word : counted.keySet()) if (!expected.containsKey(word)) wrong.put(word, "not a word of them");
        }
        if (!wrong.isEmpty()) {
            fail("over 60 documents held by 3 members, %d words are counted wrong, e.g. %s: did every member count "
                    + "the documents it holds, and were the counts of all members added up? (words are \\p{L}+, "
                    + "in lower case)", wrong.size(), wrong.entrySet().stream().limit(4).toList());
        }
        assertThat(stored.size()).as("documents left in the map after wordCount").isEqualTo(60);
    }

    @Test
    @Tag("9.2")
    @DisplayName("9.2 no documents: no words")
    void noDocumentsNoWords() {
        IMap<String, String> empty = cluster.member(2).getMap("empty-" + System.nanoTime());
        assertThat(Remote.wordCount(empty)).as("wordCount of an empty map").isEmpty();
    }
}
