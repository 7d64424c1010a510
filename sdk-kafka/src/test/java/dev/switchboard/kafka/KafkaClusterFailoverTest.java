package dev.switchboard.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Messaging;
import dev.switchboard.testkit.scale.ProjectScripts;
import dev.switchboard.testkit.scale.StreamUnderFaults;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A three-node Kafka cluster on loopback (scripts/start-kafka-cluster.sh: replication factor 3,
 * min.insync.replicas 2, broker.session.timeout.ms 3000): the leader of a partition is killed with kill -9 while a
 * service publishes and consumes. Nothing confirmed is lost, publishing goes on, and the time until a publish made
 * after the kill is confirmed, and until it is consumed, is printed. The node is started again afterwards.
 */
class KafkaClusterFailoverTest {
    private static final String BOOTSTRAP = "TEST_KAFKA_CLUSTER_BOOTSTRAP";

    @Test
    void killingAPartitionLeaderMidStreamLosesNothingConfirmedAndPublishingResumes() throws Exception {
        String bootstrap = System.getenv(BOOTSTRAP);
        if (bootstrap == null) {
            if (Boolean.parseBoolean(System.getenv("TEST_REQUIRE_BROKERS"))) {
                throw new AssertionError("no Kafka cluster: set " + BOOTSTRAP + " (scripts/start-kafka-cluster.sh prints it)");
            }
            Assumptions.abort("no Kafka cluster: set " + BOOTSTRAP + " (scripts/start-kafka-cluster.sh prints it)");
        }
        try (Messaging messaging = Messaging.fromConfig(Map.of("switchboard.broker", "kafka",
                "switchboard.kafka.bootstrap-servers", bootstrap, "switchboard.publish.timeout", "60s"))) {
            int[] killed = {-1};
            StreamUnderFaults.Report report = StreamUnderFaults.on(messaging).fault(1000, "partition leader killed", topic -> {
                killed[0] = Integer.parseInt(fault("leader", topic, "0").trim());
                fault("kill", String.valueOf(killed[0]));
            }).run(3000, 200);
            fault("start", String.valueOf(killed[0]));
            String figures = "kafka cluster failover (3,000 events at 200/s, acks=all, RF 3, min ISR 2; node " + killed[0]
                    + "): " + report.summary();
            System.out.println(figures);

            assertThat(report.lost()).as(figures).isZero();
            assertThat(report.confirmed()).as(figures).isEqualTo(3000);
            assertThat(report.resumes()).as(figures).allSatisfy(r -> assertThat(r.millis()).isLessThan(30_000));
        }
    }

    private static String fault(String... args) {
        return ProjectScripts.run("kafka-cluster-fault.sh", args);
    }
}
