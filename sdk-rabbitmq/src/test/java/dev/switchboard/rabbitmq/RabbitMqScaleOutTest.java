package dev.switchboard.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.scale.ScaleOutReport;
import dev.switchboard.testkit.scale.ScaleOutScenario;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Three service instances (separate JVMs) in one group partitioned into six queues
 * ({@code switchboard.rabbitmq.partitions=6}) share the work; one is killed with SIGKILL midway. Its partitions go to
 * the next consumer in line at once: nothing confirmed is lost and per-key order holds in every instance. Before, a
 * group was one single-active-consumer queue, so one instance did all the work.
 */
class RabbitMqScaleOutTest {
    @Test
    void threeInstancesShareAPartitionedGroupAndOneKilledMidwayLosesNothing() {
        ScaleOutReport report = ScaleOutScenario.on("rabbitmq",
                        RabbitMqTestBroker.properties(Map.of("switchboard.rabbitmq.partitions", "6")))
                .keys(600).events(6000, 400).run();
        System.out.println(report.summary());

        assertThat(report.lost()).as(report.summary()).isZero();
        assertThat(report.orderViolations()).as(report.summary()).isZero();
        assertThat(report.shareBeforeKill().values()).as(report.summary())
                .allSatisfy(share -> assertThat(share).isGreaterThanOrEqualTo(0.2));
    }
}
