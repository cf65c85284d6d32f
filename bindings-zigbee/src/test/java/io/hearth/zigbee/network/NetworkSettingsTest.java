package io.hearth.zigbee.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NetworkSettingsTest {

    @Test
    void everyFormationGetsItsOwnRandomKeyAndPanIds() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            NetworkSettings settings = NetworkSettings.generate(0);
            assertThat(settings.networkKey()).isNotEqualTo("5A6967426565416C6C69616E63653039")
                    .isNotEqualTo("01030507090B0D0F00020406080A0C0D");
            assertThat(settings.channel()).isIn(11, 15, 20, 25);
            keys.add(settings.networkKey());
        }
        assertThat(keys).hasSize(20);
    }

    @Test
    void aConfiguredChannelIsUsedForFormation() {
        assertThat(NetworkSettings.generate(17).channel()).isEqualTo(17);
    }

    @Test
    void theKeyNeverAppearsWhenSettingsAreLogged() {
        NetworkSettings settings = NetworkSettings.generate(0);
        assertThat(settings.toString()).doesNotContain(settings.networkKey());
    }
}
