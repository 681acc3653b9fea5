// Known-wrong answer to exercise 9.1: counts in an AtomicLong of this member's JVM, exact there,
// then adds its total to the map with a get and a put: the members' totals overwrite each other.
class Remote {
    static void addToCounter(com.hazelcast.map.IMap<String, Long> counters, String key, int times) {
        java.util.concurrent.atomic.AtomicLong local = new java.util.concurrent.atomic.AtomicLong();
        for (int i = 0; i < times; i++) local.incrementAndGet();
        Long before = counters.get(key);
        counters.put(key, (before == null ? 0 : before) + local.get());
    }
}
