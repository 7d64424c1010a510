package dev.switchboard.spi;

import dev.switchboard.Provisioning;
import dev.switchboard.SwitchboardConfig;
import java.time.Duration;

/**
 * What the core hands a provider when it opens a driver.
 *
 * @param config the validated configuration; the driver reads its own keys from it
 * @param serviceName {@code switchboard.service-name}, for client ids and connection names
 * @param provisioning what to do about missing topics and subscriptions
 * @param connectTimeout how long an operation may wait for an unreachable broker before it fails with
 *     {@code UNAVAILABLE}
 * @since 0.1
 */
public record DriverContext(SwitchboardConfig config, String serviceName, Provisioning provisioning,
                            Duration connectTimeout) {
}
