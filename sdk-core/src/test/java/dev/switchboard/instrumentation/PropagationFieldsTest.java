package dev.switchboard.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A propagator's field names as CloudEvents extension names. */
class PropagationFieldsTest {
    @Test
    void theW3cFieldsTravelAsTheyAre() {
        assertThat(PropagationFields.extensionName("traceparent")).isEqualTo("traceparent");
        assertThat(PropagationFields.extensionName("tracestate")).isEqualTo("tracestate");
        assertThat(PropagationFields.extensionName("baggage")).isEqualTo("baggage");
    }

    @Test
    void otherFieldsAreLowerCasedWithOnlyLettersAndDigitsKept() {
        assertThat(PropagationFields.extensionName("X-B3-TraceId")).isEqualTo("xb3traceid");
        assertThat(PropagationFields.extensionName("uber-trace-id")).isEqualTo("ubertraceid");
    }

    @Test
    void aFieldWithNoLetterOrDigitCannotTravel() {
        assertThat(PropagationFields.extensionName("--")).isNull();
        assertThat(PropagationFields.extensionName("")).isNull();
    }
}
