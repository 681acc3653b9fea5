///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//MAIN Remote
//DEPS com.hazelcast:hazelcast:5.7.0
//JAVA_OPTIONS --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
//JAVA_OPTIONS --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
//JAVA_OPTIONS --add-opens java.management/sun.management=ALL-UNNAMED
//JAVA_OPTIONS --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
//JAVA_OPTIONS --sun-misc-unsafe-memory-access=allow -Dhazelcast.logging.type=none

// Reference answers to the exercises of lessons/09_remote.java.
// Run it to see each answer at work on a one-member cluster (127.0.0.1 only):
//     ./jbang solutions/09_remote.java

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.exception.RetryableException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

class Remote {

    public static void main(String[] args) throws Exception {
        Config config = new Config();
        config.setClusterName("solutions09-" + ProcessHandle.current().pid());
        config.setProperty("hazelcast.logging.type", "none");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(5701).setPortAutoIncrement(true).setPortCount(200);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        try {
            IMap<String, Long> counters = member.getMap("counters");
            addToCounter(counters, "visits", 100);
            System.out.println("9.1: 100 increments, the counter holds " + counters.get("visits"));
            IMap<String, String> documents = member.getMap("documents");
            documents.put("a", "the cat and the hat");
            documents.put("b", "The end");
            System.out.println("9.2: " + wordCount(documents));
            long sum = sumSurvivingLoss(member, List.of(1, 2, 3, 4), item -> (long) item * item);
            System.out.println("9.3: the sum of the squares of 1..4 is " + sum);
        } finally {
            member.shutdown();
        }
    }

    static final class AddOne implements EntryProcessor<String, Long, Long> {
        @Override
        public Long process(Map.Entry<String, Long> entry) {
            long next = entry.getValue() == null ? 1 : entry.getValue() + 1;
            entry.setValue(next);
            return next;
        }
    }

    // Exercise 9.1: a distributed counter that loses nothing.
    //
    // Add 1 to the entry `key` of `counters` (missing means 0), `times` times. Several
    // members call this at the same moment, on the same key, each with its own handle to
    // the same map: when all have returned, the entry must hold the sum of all their
    // `times`. No update may be lost, however the calls interleave.
    static void addToCounter(IMap<String, Long> counters, String key, int times) {
        for (int i = 0; i < times; i++) counters.executeOnKey(key, new AddOne());
    }

    // Exercise 9.2: a word count that runs where the data lives.
    //
    // `documents` maps a document's name to its text, spread over the members. Return
    // how many times each word occurs over all documents: a word is a run of letters
    // (\p{L}+), counted in lower case. Count on the members that hold the documents and
    // bring back only counts: no document's text may travel to the caller.
    static Map<String, Long> wordCount(IMap<String, String> documents) {
        Map<String, Long> total = new TreeMap<>();
        for (Map<String, Long> counts : documents.executeOnEntries(new CountWords()).values()) {
            counts.forEach((word, count) -> total.merge(word, count, Long::sum));
        }
        return total;
    }

    // Runs on the member that holds the document; only the counts travel back.
    static final class CountWords implements EntryProcessor<String, String, Map<String, Long>> {
        static final Pattern WORD = Pattern.compile("\\p{L}+");

        @Override
        public Map<String, Long> process(Map.Entry<String, String> document) {
            Map<String, Long> counts = new HashMap<>();
            Matcher words = WORD.matcher(document.getValue());
            while (words.find()) counts.merge(words.group().toLowerCase(Locale.ROOT), 1L, Long::sum);
            return counts;
        }

        @Override
        public EntryProcessor<String, String, Map<String, Long>> getBackupProcessor() {
            return null;                                      // it changes nothing: no backup to update
        }
    }

    // Exercise 9.3: a job that survives the loss of a member.
    //
    // Run `work.apply(item)` for every item, each as a task of the executor service "job"
    // of `caller`, spread over the members: item number i (counting from 0) goes to member
    // i % n of the n members `caller` sees when it starts (submitToMember). Return the sum
    // of the results. A member may die while it works on some items; Hazelcast does not
    // redo a task sent to a member (it only redoes tasks bound to a key's partition), so
    // that is yours: run those items again on members that are alive, so that every item
    // is counted exactly once. An item whose work has finished must not run again.
    interface ItemWork extends Serializable {
        long apply(int item) throws Exception;
    }

    static long sumSurvivingLoss(HazelcastInstance caller, List<Integer> items, ItemWork work) throws InterruptedException {
        IExecutorService executor = caller.getExecutorService("job");
        Map<Integer, Long> resultByPosition = new HashMap<>();
        List<Integer> pending = new ArrayList<>();
        for (int position = 0; position < items.size(); position++) pending.add(position);
        while (!pending.isEmpty()) {
            List<Member> members = new ArrayList<>(caller.getCluster().getMembers()); // the living, this round
            Map<Integer, Future<Long>> running = new LinkedHashMap<>();
            for (int position : pending) {
                Member target = members.get(position % members.size());
                running.put(position, executor.submitToMember(new RunItem(work, items.get(position)), target));
            }
            pending = new ArrayList<>();
            for (Map.Entry<Integer, Future<Long>> task : running.entrySet()) {
                try {
                    resultByPosition.put(task.getKey(), task.getValue().get());
                } catch (ExecutionException e) {
                    if (!(e instanceof MemberLeftException || e.getCause() instanceof RetryableException)) {
                        throw new IllegalStateException("item " + items.get(task.getKey()) + " failed", e.getCause());
                    }
                    pending.add(task.getKey());               // its member died before answering: run it again
                }
            }
        }
        return resultByPosition.values().stream().mapToLong(Long::longValue).sum();
    }

    record RunItem(ItemWork work, int item) implements Callable<Long>, Serializable {
        @Override
        public Long call() throws Exception {
            return work.apply(item);
        }
    }
}
