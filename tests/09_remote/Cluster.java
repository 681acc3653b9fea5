import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A cluster of embedded Hazelcast members in this JVM, for the tests: 127.0.0.1 only, TCP-IP
 * join to the first member, multicast and phone-home off, silent, and a cluster name of its own
 * so that it never merges with another run's. Members are named "<role>-<cluster id>"; their
 * threads carry that name ("hz.doomed-1a2b3c4d.cached.thread-3").
 */
final class Cluster implements AutoCloseable {

    static {
        System.setProperty("hazelcast.logging.type", "none");
    }

    final String id = UUID.randomUUID().toString().substring(0, 8);
    final List<HazelcastInstance> members = new ArrayList<>();
    private String firstAddress = "127.0.0.1:5701";

    /** Starts one member per role, each joining the first; returns once all see each other. */
    static Cluster of(String... roles) {
        Cluster cluster = new Cluster();
        try {
            for (String role : roles) cluster.start(role);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    HazelcastInstance start(String role) {
        Config config = new Config();
        config.setClusterName("test09-" + id);
        config.setInstanceName(role + "-" + id);
        // Tasks and entry processors arrive as bytes: their classes (the lesson's) are found
        // by the loader of the tests, not by Hazelcast's own.
        config.setClassLoader(Cluster.class.getClassLoader());
        config.setProperty("hazelcast.logging.type", "none");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(5701).setPortAutoIncrement(true).setPortCount(200);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember(firstAddress);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        if (members.isEmpty()) firstAddress = "127.0.0.1:" + member.getCluster().getLocalMember().getAddress().getPort();
        members.add(member);
        return member;
    }

    HazelcastInstance member(int index) {
        return members.get(index);
    }

    /** Ends every member at once, without waiting for migrations: nothing outlives the test. */
    @Override
    public void close() {
        for (HazelcastInstance member : members) {
            try {
                member.getLifecycleService().terminate();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }
}
