// Known-wrong answer to exercise 9.1: a compare-and-set without the loop: when replace(key, old,
// new) finds that another member wrote first, the increment is dropped instead of retried.
class Remote {
    static void addToCounter(com.hazelcast.map.IMap<String, Long> counters, String key, int times) {
        for (int i = 0; i < times; i++) {
            Long value = counters.get(key);
            if (value == null) {
                if (counters.putIfAbsent(key, 1L) == null) continue;
                value = counters.get(key);
            }
            counters.replace(key, value, value + 1);
        }
    }
}
