package dev.switchboard.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.SwitchboardProperties;
import dev.switchboard.spi.ConfigKey;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoreConfigKeysTest {

    @Test
    void theValidatedKeysAreExactlyThePublicConstants() throws IllegalAccessException {
        List<String> constants = new ArrayList<>();
        for (Field field : SwitchboardProperties.class.getFields()) {
            constants.add((String) field.get(null));
        }

        assertThat(CoreConfigKeys.ALL).extracting(ConfigKey::name).containsExactlyInAnyOrderElementsOf(constants);
    }
}
