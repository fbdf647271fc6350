package org.openstack.jcinder.compute.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.shared.config.ConfigException;
import org.openstack.jcinder.shared.config.IniFile;

/** nova.conf as an operator writes it: Nova's names and defaults, and one-line errors naming the option. */
class NovaConfigTest {

    static NovaConfig parse(String... lines) {
        return NovaConfig.from(IniFile.parse(Path.of("/etc/nova/nova.conf"), List.of(lines)));
    }

    @Test
    void defaultsAreNovasOwn() {
        NovaConfig c = parse("[DEFAULT]");
        assertThat(c.listenPort()).isEqualTo(8774);
        assertThat(c.computeDriver()).isEqualTo("libvirt.LibvirtDriver");
        assertThat(c.simulated()).isFalse();
        assertThat(c.libvirtUri()).isEqualTo("qemu:///system");
        assertThat(c.cinderEndpoint()).isEmpty();
        assertThat(c.cinderCatalogInfo()).isEqualTo("volumev3::publicURL");
        assertThat(c.swapVolumeBandwidth()).isZero();
    }

    @Test
    void readsTheSectionsItKnows() {
        NovaConfig c = parse("[DEFAULT]", "compute_driver = simulated", "osapi_compute_listen_port = 18774",
                "[cinder]", "endpoint_override = http://cinder:8776/v3/", "[compute]",
                "swap_volume_bandwidth = 1048576", "[simulated]", "guest_workload = journal");
        assertThat(c.simulated()).isTrue();
        assertThat(c.listenPort()).isEqualTo(18774);
        assertThat(c.cinderEndpoint()).contains("http://cinder:8776/v3");
        assertThat(c.swapVolumeBandwidth()).isEqualTo(1048576);
        assertThat(c.simulatedGuestWorkload()).isEqualTo("journal");
    }

    @Test
    void theAllInOneSuppliesItsCinderEndpoint() {
        NovaConfig c = parse("[DEFAULT]", "compute_driver = simulated", "[cinder]", "endpoint_override = http://x/v3")
                .with(NovaOptions.CINDER_ENDPOINT, "http://127.0.0.1:18776/v3");
        assertThat(c.cinderEndpoint()).contains("http://127.0.0.1:18776/v3");
        assertThat(c.simulated()).isTrue();
    }

    @Test
    void keystoneSectionsAreKeptForLaterWithoutShowingThePassword() {
        NovaConfig c = parse("[cinder]", "auth_type = password", "auth_url = http://keystone:5000/v3",
                "username = nova", "password = s3cret", "project_name = service", "[service_user]",
                "send_service_user_token = true", "auth_type = password", "username = nova");
        assertThat(c.cinderAuth().configured()).isTrue();
        assertThat(c.cinderAuth().authUrl()).contains("http://keystone:5000/v3");
        assertThat(c.cinderAuth().password()).contains("s3cret");
        assertThat(c.cinderAuth().toString()).doesNotContain("s3cret").contains("password=***");
        assertThat(c.serviceUser().sendServiceUserToken()).isTrue();
        assertThat(parse("[DEFAULT]").cinderAuth().configured()).isFalse();
    }

    @Test
    void aBadValueNamesFileSectionAndKey() {
        assertThatThrownBy(() -> parse("[DEFAULT]", "compute_driver = hyperv.HyperVDriver"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("/etc/nova/nova.conf: [DEFAULT] compute_driver: 'hyperv.HyperVDriver'");
        assertThatThrownBy(() -> parse("[compute]", "swap_volume_bandwidth = fast"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[compute] swap_volume_bandwidth: 'fast' is not an integer");
        assertThatThrownBy(() -> parse("[simulated]", "guest_workload = fio"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("[simulated] guest_workload");
    }
}
