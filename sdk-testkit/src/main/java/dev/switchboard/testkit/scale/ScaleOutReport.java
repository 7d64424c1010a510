package dev.switchboard.testkit.scale;

import java.time.Duration;
import java.util.Map;

/**
 * What a {@link ScaleOutScenario} measured.
 *
 * @param broker the broker's name, for the summary line
 * @param published events the broker confirmed
 * @param shareBeforeKill per instance, its fraction of the distinct events handled in the second half of the time
 *     before the kill, once the group has settled (members joining one after another move partitions meanwhile)
 * @param lost confirmed events no instance handled
 * @param duplicates handlings beyond the first of an event
 * @param orderViolations times an instance handled an event of a key after a later event of that key
 * @param recovery the longest wait, from publish to first handling, of an event published after the kill: how
 *     long the killed instance's share stood still
 * @since 0.2
 */
public record ScaleOutReport(String broker, int published, Map<String, Double> shareBeforeKill, int lost,
                             int duplicates, int orderViolations, Duration recovery) {
    /** One line with every figure, for the test log. */
    public String summary() {
        StringBuilder shares = new StringBuilder();
        shareBeforeKill.forEach((instance, share) -> shares.append(shares.length() == 0 ? "" : ", ")
                .append(instance).append(' ').append(Math.round(share * 100)).append('%'));
        return "scale-out on " + broker + ": " + published + " events confirmed, " + shareBeforeKill.size()
                + " instances (share before the kill: " + shares + "), lost " + lost + ", duplicates " + duplicates
                + ", per-key order violations " + orderViolations + ", recovery after kill -9 " + recovery.toMillis()
                + " ms";
    }
}
