/**
 * The portable runtime: everything that must behave the same on every broker, written once over the SPI.
 * Not API: types here may change in any release.
 *
 * <ul>
 *   <li>{@link dev.switchboard.internal.publish.PublishPipeline}: payload to envelope, defaults, batching, deadline.</li>
 *   <li>{@link dev.switchboard.internal.receive}: a running subscription — receive loop with bounded
 *       in-flight, dispatch through per-key lanes, settlement of handler outcomes (retry in lane for ordered
 *       events, broker redelivery or a local retry for the rest, dead letters with diagnostics,
 *       deduplication), graceful drain.</li>
 *   <li>{@link dev.switchboard.internal.DeadLetterQueue}: list and replay dead letters.</li>
 *   <li>{@link dev.switchboard.internal.config.ConfigResolver} and {@link dev.switchboard.internal.config.ProviderLookup}:
 *       layered configuration with validation, and provider selection.</li>
 * </ul>
 */
package dev.switchboard.internal;
