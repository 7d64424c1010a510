package dev.switchboard.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Messaging;
import dev.switchboard.testkit.scale.ProjectScripts;
import dev.switchboard.testkit.scale.StreamUnderFaults;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A three-node RabbitMQ cluster on loopback (scripts/start-rabbitmq-cluster.sh; the group's quorum queue on all
 * three), the service given all three addresses ({@code switchboard.rabbitmq.addresses}, tried in order, so it
 * connects to node 1, which then leads the queue it declares). Mid-stream, first a node the client is not
 * connected to is killed with kill -9 (and started again), then the node it is connected to, which leads the
 * queue. Nothing confirmed is lost, and publishing and consuming resume within 10 s of each kill; the times are
 * printed. Before, the adapter took one host and retried the dead node until it came back (65 s measured).
 */
class RabbitMqClusterFailoverTest {
    private static final String ADDRESSES = "TEST_RABBITMQ_CLUSTER_ADDRESSES";

    @Test
    void killingANodeAndThenTheConnectedLeaderLosesNothingAndResumesWithinTenSeconds() throws Exception {
        String addresses = System.getenv(ADDRESSES);
        if (addresses == null) {
            String how = "no RabbitMQ cluster: set " + ADDRESSES + " (scripts/start-rabbitmq-cluster.sh prints it)";
            if (Boolean.parseBoolean(System.getenv("TEST_REQUIRE_BROKERS"))) {
                throw new AssertionError(how);
            }
            Assumptions.abort(how);
        }
        try (Messaging messaging = Messaging.fromConfig(Map.of("switchboard.broker", "rabbitmq",
                "switchboard.rabbitmq.addresses", addresses, "switchboard.rabbitmq.username", "guest",
                "switchboard.rabbitmq.password", "guest", "switchboard.publish.timeout", "60s"))) {
            CompletableFuture<?>[] restart = new CompletableFuture<?>[1];
            int[] leader = {-1};
            StreamUnderFaults.Report report = StreamUnderFaults.on(messaging)
                    .fault(600, "node 3 (not connected, not leading) killed", topic -> {
                        leader[0] = Integer.parseInt(fault("leader", topic + "." + StreamUnderFaults.GROUP).trim());
                        fault("kill", "3");
                        restart[0] = CompletableFuture.supplyAsync(() -> fault("start", "3"));
                    })
                    .fault(1800, "node 1 (connected, leading) killed", topic -> {
                        restart[0].get(2, TimeUnit.MINUTES);
                        fault("kill", "1");
                    })
                    .run(3000, 200);
            String figures = "rabbitmq cluster failover (3,000 events at 200/s, quorum queue on 3 nodes, client given 3"
                    + " addresses): " + report.summary();
            System.out.println(figures);

            assertThat(leader[0]).as("the queue's leader: the node the service connected to").isEqualTo(1);
            assertThat(report.lost()).as(figures).isZero();
            assertThat(report.confirmed()).as(figures).isEqualTo(3000);
            assertThat(report.resumes()).as(figures).allSatisfy(r -> assertThat(r.millis()).isLessThan(10_000));
        } finally {
            fault("start", "1");
            fault("start", "3");
        }
    }

    private static String fault(String... args) {
        return ProjectScripts.run("rabbitmq-cluster-fault.sh", args);
    }
}
