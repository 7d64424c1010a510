package dev.switchboard;

/**
 * Counters of one running subscription since it started; a snapshot, not live.
 *
 * @param received deliveries taken from the broker (redeliveries included)
 * @param acknowledged deliveries whose handling finished and was acknowledged (skips and duplicates included)
 * @param retried failed attempts that were retried
 * @param deadLettered deliveries sent to the dead letter
 * @param skippedUnknownType deliveries of a type no handler takes, acknowledged and skipped
 * @param duplicates deliveries skipped by deduplication
 * @param inFlight deliveries received and not yet settled
 * @since 0.1
 */
public record SubscriberStats(long received, long acknowledged, long retried, long deadLettered,
                              long skippedUnknownType, long duplicates, int inFlight) {
}
