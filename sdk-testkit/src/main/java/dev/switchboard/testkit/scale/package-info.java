/**
 * Scale-out and failover scenarios on a real broker: service instances as separate JVMs
 * ({@link dev.switchboard.testkit.scale.ServiceInstance}, running
 * {@link dev.switchboard.testkit.scale.ServiceInstanceMain}), one group shared between them, one killed with
 * SIGKILL midway ({@link dev.switchboard.testkit.scale.ScaleOutScenario}), and what came out of it
 * ({@link dev.switchboard.testkit.scale.ScaleOutReport}: share per instance, lost, duplicates, per-key order, time
 * to recover). An adapter's test runs the scenario with its broker's properties.
 *
 * @since 0.2
 */
package dev.switchboard.testkit.scale;
