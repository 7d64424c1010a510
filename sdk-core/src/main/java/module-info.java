/**
 * Switchboard's core: the user API ({@code dev.switchboard}), the instrumentation hook for metrics and traces
 * ({@code dev.switchboard.instrumentation}) and the driver SPI ({@code dev.switchboard.spi}).
 * The portable runtime ({@code dev.switchboard.internal}) is not exported: it is no API and changes freely.
 */
module dev.switchboard.core {
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires org.slf4j;

    exports dev.switchboard;
    exports dev.switchboard.instrumentation;
    exports dev.switchboard.spi;

    uses dev.switchboard.spi.BrokerProvider;
}
