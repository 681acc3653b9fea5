// Known-wrong answer to exercise 9.1: lesson 03's read-add-write, on the distributed map: a get
// and a put are each atomic, but another member writes between them.
class Remote {
    static void addToCounter(com.hazelcast.map.IMap<String, Long> counters, String key, int times) {
        for (int i = 0; i < times; i++) {
            Long value = counters.get(key);
            counters.put(key, value == null ? 1 : value + 1);
        }
    }
}
