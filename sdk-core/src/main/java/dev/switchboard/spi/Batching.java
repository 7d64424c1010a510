package dev.switchboard.spi;

/**
 * How the core batches calls to a driver: it hands over at most {@code maxBatchSize} items per call and
 * keeps at most {@code maxConcurrentBatches} calls outstanding. An item that arrives while a call slot is
 * free goes out at once (no linger); items that arrive while every slot is busy wait and leave together.
 * So batches grow with load, and a lone item is never delayed.
 *
 * @param maxBatchSize the most items one call takes (SNS and SQS: 10)
 * @param maxConcurrentBatches the most calls outstanding at once; 1 keeps calls in order
 * @since 0.1
 */
public record Batching(int maxBatchSize, int maxConcurrentBatches) {
    /** One item per call, no bound on outstanding calls: for drivers whose client batches on its own. */
    public static final Batching NONE = new Batching(1, Integer.MAX_VALUE);

    public Batching {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be >= 1, was " + maxBatchSize);
        }
        if (maxConcurrentBatches < 1) {
            throw new IllegalArgumentException("maxConcurrentBatches must be >= 1, was " + maxConcurrentBatches);
        }
    }
}
