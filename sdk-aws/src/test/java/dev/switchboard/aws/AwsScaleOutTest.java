package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.scale.ScaleOutReport;
import dev.switchboard.testkit.scale.ScaleOutScenario;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Three service instances (separate JVMs) in one group on a FIFO topic and queue share its message groups; one is
 * killed with SIGKILL midway. What it had in flight comes back after the queue's visibility timeout (the recovery
 * figure): nothing confirmed is lost and per-key order holds in every instance.
 */
class AwsScaleOutTest {
    @Test
    void threeInstancesShareAFifoGroupAndOneKilledMidwayLosesNothing() {
        ScaleOutReport report = ScaleOutScenario.on("sns-sqs", AwsTestBroker.properties(Map.of("switchboard.sns-sqs.fifo", "true")))
                .keys(60).events(2000, 200).run();
        System.out.println(report.summary());

        assertThat(report.lost()).as(report.summary()).isZero();
        assertThat(report.orderViolations()).as(report.summary()).isZero();
        assertThat(report.shareBeforeKill().values()).as(report.summary())
                .allSatisfy(share -> assertThat(share).isGreaterThanOrEqualTo(0.2));
    }
}
