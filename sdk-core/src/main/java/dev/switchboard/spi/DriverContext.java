package dev.switchboard.spi;

import dev.switchboard.SwitchboardConfig;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

/**
 * What the core hands a provider when it opens a driver.
 *
 * @param config the validated configuration; the driver reads its own keys from it
 * @param serviceName {@code switchboard.service-name}, for client ids and connection names
 * @param connectTimeout how long an operation may wait for an unreachable broker before it fails
 * @param scheduler the core's shared scheduler, for short timed work (a heartbeat, a flush); never block on it
 * @param threads the core's thread factories by name ({@code switchboard-<name>-N}, daemon), for a driver that
 *     needs threads of its own (a blocking client's I/O)
 * @since 0.1
 */
public record DriverContext(SwitchboardConfig config, String serviceName, Duration connectTimeout,
                            ScheduledExecutorService scheduler, Function<String, ThreadFactory> threads) {
}
