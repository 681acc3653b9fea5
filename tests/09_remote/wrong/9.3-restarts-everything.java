// Known-wrong answer to exercise 9.3: when any item fails, runs the whole job again: the sum is
// right, but every item that had finished runs (and would count its side effects) twice.
class Remote {
    static long sumSurvivingLoss(com.hazelcast.core.HazelcastInstance caller, java.util.List<Integer> items, ItemWork work)
            throws InterruptedException {
        while (true) {
            java.util.List<java.util.concurrent.Future<Long>> futures = new java.util.ArrayList<>();
            com.hazelcast.core.IExecutorService executor = caller.getExecutorService("job");
            java.util.List<com.hazelcast.cluster.Member> members = new java.util.ArrayList<>(caller.getCluster().getMembers());
            for (int i = 0; i < items.size(); i++) {
                futures.add(executor.submitToMember(new RunItem(work, items.get(i)), members.get(i % members.size())));
            }
            long sum = 0;
            boolean failed = false;
            for (java.util.concurrent.Future<Long> future : futures) {
                try {
                    sum += future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failed = true;
                }
            }
            if (!failed) return sum;
        }
    }
}
