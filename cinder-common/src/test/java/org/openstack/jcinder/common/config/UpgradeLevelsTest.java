package org.openstack.jcinder.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.shared.config.ConfigException;
import org.openstack.jcinder.shared.config.IniFile;

class UpgradeLevelsTest {

    private static CinderConfig conf(String... lines) {
        return CinderConfig.from(IniFile.parse(Path.of("/etc/cinder/cinder.conf"), List.of(lines)));
    }

    @Test
    void unsetMeansNewestAndTheServicesServeTheNewest() {
        UpgradeLevels levels = conf("[DEFAULT]").upgradeLevels();
        assertThat(levels.pinOf("cinder-volume")).isEmpty();
        assertThat(levels.pinOf("cinder-scheduler")).isEmpty();
        assertThat(levels.autoRefresh()).isEqualTo(Duration.ZERO);
        assertThat(levels.served("cinder-volume", "3.11")).isEqualTo("3.11");
    }

    @Test
    void autoOrAVersionPerBinaryAndTheTestingOverrides() {
        UpgradeLevels levels = conf("[DEFAULT]", "volume_rpc_version_override = 3.5", "[upgrade_levels]",
                "volume = auto", "scheduler = 3.2", "auto_refresh_interval = 30").upgradeLevels();
        assertThat(levels.pinOf("cinder-volume")).contains("auto");
        assertThat(levels.pinOf("cinder-scheduler")).contains("3.2");
        assertThat(levels.pinOf("cinder-backup")).isEqualTo(Optional.empty());
        assertThat(levels.autoRefresh()).isEqualTo(Duration.ofSeconds(30));
        assertThat(levels.served("cinder-volume", "3.11")).isEqualTo("3.5");
        assertThat(levels.served("cinder-scheduler", "3.4")).isEqualTo("3.4");
    }

    @Test
    void aMalformedPinStopsTheServiceAtStart() {
        assertThatThrownBy(() -> conf("[upgrade_levels]", "volume = newest"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[upgrade_levels] volume")
                .hasMessageContaining("'newest' is not auto nor a version such as 3.5");
        assertThatThrownBy(() -> conf("[DEFAULT]", "volume_rpc_version_override = auto"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is not a version");
    }
}
