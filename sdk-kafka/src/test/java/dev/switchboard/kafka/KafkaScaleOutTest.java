package dev.switchboard.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.scale.ScaleOutReport;
import dev.switchboard.testkit.scale.ScaleOutScenario;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Three service instances (separate JVMs) in one group share a three-partition topic; one is killed with
 * SIGKILL midway. Its partition goes to a survivor within the default session timeout: nothing confirmed is
 * lost, per-key order holds in every instance, and the killed instance's share stands still for less than 10 s
 * (the client's default session timeout of 45 s made it 43 s before).
 */
class KafkaScaleOutTest {
    @Test
    void threeInstancesShareTheGroupAndOneKilledMidwayLosesNothingAndFailsOverWithinTenSeconds() {
        ScaleOutReport report = ScaleOutScenario.on("kafka", KafkaTestBroker.properties(Map.of()))
                .keys(90).events(4000, 400).run();
        System.out.println(report.summary());

        assertThat(report.lost()).as(report.summary()).isZero();
        assertThat(report.orderViolations()).as(report.summary()).isZero();
        assertThat(report.shareBeforeKill().values()).as(report.summary()).allSatisfy(share -> assertThat(share).isGreaterThanOrEqualTo(0.2));
        assertThat(report.recovery()).as(report.summary()).isLessThan(Duration.ofSeconds(10));
    }
}
