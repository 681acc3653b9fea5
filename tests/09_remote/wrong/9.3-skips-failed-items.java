// Known-wrong answer to exercise 9.3: submits every item to its member and sums what comes back,
// but a future that failed because its member died is skipped: that member's items are lost.
class Remote {
    static long sumSurvivingLoss(com.hazelcast.core.HazelcastInstance caller, java.util.List<Integer> items, ItemWork work)
            throws InterruptedException {
        java.util.List<java.util.concurrent.Future<Long>> futures = new java.util.ArrayList<>();
        com.hazelcast.core.IExecutorService executor = caller.getExecutorService("job");
        java.util.List<com.hazelcast.cluster.Member> members = new java.util.ArrayList<>(caller.getCluster().getMembers());
        for (int i = 0; i < items.size(); i++) {
            futures.add(executor.submitToMember(new RunItem(work, items.get(i)), members.get(i % members.size())));
        }
        long sum = 0;
        for (java.util.concurrent.Future<Long> future : futures) {
            try {
                sum += future.get();
            } catch (java.util.concurrent.ExecutionException e) {
                // its member is gone: nothing to add
            }
        }
        return sum;
    }
}
