package org.openstack.jcinder.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.shared.config.ConfigException;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.shared.config.Option;
import org.openstack.jcinder.shared.config.OptionCatalogue;

class CinderConfigTest {

    private static CinderConfig parse(String... lines) {
        return CinderConfig.from(IniFile.parse(Path.of("/etc/cinder/cinder.conf"), List.of(lines)));
    }

    @Test
    void readsOptionsAndBackendsAsCinderNamesThem() {
        CinderConfig c = parse(
                "# comment",
                "[DEFAULT]",
                "host = node1",
                "enabled_backends = lvm-1, file-2",
                "transport_url = rabbit://u:p%40ss@mq1:5673,u:p%40ss@mq2:5673/cinder",
                "osapi_volume_listen_port = 18776",
                "service_down_time = 30",
                "[database]",
                "connection = postgresql+psycopg2://cinder:secret@db:5432/cinder",
                "[lvm-1]",
                "volume_driver = file",
                "[file-2]",
                "volume_driver = file",
                "volume_backend_name = shared",
                "file_volume_dir = /srv/vols");
        assertThat(c.host()).isEqualTo("node1");
        assertThat(c.enabledBackends()).containsExactly("lvm-1", "file-2");
        assertThat(c.listenPort()).isEqualTo(18776);
        assertThat(c.listenAddress()).isEqualTo("127.0.0.1");
        assertThat(c.serviceDownTime().toSeconds()).isEqualTo(30);
        assertThat(c.backends().get("lvm-1").volumeBackendName()).isEqualTo("lvm-1");
        assertThat(c.backends().get("file-2").volumeBackendName()).isEqualTo("shared");
        // A driver's option, declared once for every backend section, is read from each backend's own.
        Option<String> dir = new OptionCatalogue().string(BackendOptions.SECTION, "file_volume_dir", null, "");
        assertThat(c.backends().get("file-2").find(dir)).contains("/srv/vols");
        assertThat(c.backends().get("lvm-1").find(dir)).isEmpty();

        ConnectionUrls.Transport t = ConnectionUrls.transport(c.requireTransportUrl(), "f");
        assertThat(t.addresses()).isEqualTo("mq1:5673,mq2:5673");
        assertThat(t.username()).isEqualTo("u");
        assertThat(t.password()).isEqualTo("p@ss");
        assertThat(t.virtualHost()).isEqualTo("cinder");

        ConnectionUrls.Jdbc db = ConnectionUrls.database(c.requireDatabaseConnection(), "f");
        assertThat(db.url()).isEqualTo("jdbc:postgresql://db:5432/cinder");
        assertThat(db.username()).isEqualTo("cinder");
        assertThat(db.password()).isEqualTo("secret");
    }

    @Test
    void missingRequiredOptionNamesFileSectionAndKey() {
        CinderConfig c = parse("[DEFAULT]", "host = a");
        assertThatThrownBy(c::requireTransportUrl)
                .hasMessage("/etc/cinder/cinder.conf: [DEFAULT] transport_url: required option is not set");
        assertThatThrownBy(() -> parse("[DEFAULT]", "enabled_backends = b1", "[b1]", "volume_backend_name = x"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("/etc/cinder/cinder.conf: [b1] volume_driver: required option is not set");
        assertThatThrownBy(() -> parse("[DEFAULT]", "enabled_backends = nope"))
                .hasMessageContaining("[DEFAULT] enabled_backends names 'nope' but there is no [nope] section");
    }

    @Test
    void malformedFileIsRejectedWithTheLine() {
        assertThatThrownBy(() -> parse("[DEFAULT]", "this line has no separator"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("/etc/cinder/cinder.conf:2: expected 'key = value', got 'this line has no separator'");
        assertThatThrownBy(() -> parse("[DEFAULT", "a = b")).hasMessageContaining(":1: malformed section header");
        assertThatThrownBy(() -> parse("a = b")).hasMessageContaining("appears before any [section] header");
        assertThatThrownBy(() -> parse("[DEFAULT]", "osapi_volume_listen_port = http"))
                .hasMessage("/etc/cinder/cinder.conf: [DEFAULT] osapi_volume_listen_port: 'http' is not an integer "
                        + "between 0 and 65535");
    }

    @Test
    void novaAndServiceUserCredentialsAreKeptForKeystone() {
        CinderConfig c = parse("[nova]", "endpoint_override = http://nova:8774/v2.1", "auth_type = password",
                "auth_url = http://keystone:5000/v3", "username = cinder", "password = pw", "region_name = R1",
                "[service_user]", "send_service_user_token = true", "auth_type = password");
        assertThat(c.novaEndpoint()).contains("http://nova:8774/v2.1");
        assertThat(c.novaAuth().username()).contains("cinder");
        assertThat(c.novaAuth().regionName()).contains("R1");
        assertThat(c.novaAuth().toString()).doesNotContain("=pw").contains("password=***");
        assertThat(c.serviceUser().sendServiceUserToken()).isTrue();
    }

    @Test
    void aValueSuppliedInProcessChangesThatOptionOnly() {
        CinderConfig c = parse("[DEFAULT]", "host = a", "enabled_backends = b1", "[b1]", "volume_driver = file");
        CinderConfig d = c.with(CinderOptions.TRANSPORT_URL, "rabbit://u:p@mq:5672/")
                .with(CinderOptions.LISTEN_PORT, 18776)
                .with(CinderOptions.STATE_PATH, "/srv/cinder");
        assertThat(d.transportUrl()).contains("rabbit://u:p@mq:5672/");
        assertThat(d.listenPort()).isEqualTo(18776);
        assertThat(d.statePath()).contains(Path.of("/srv/cinder"));
        assertThat(d.host()).isEqualTo("a");
        assertThat(d.backends()).isEqualTo(c.backends());
        assertThat(d.source()).isEqualTo(c.source());
        assertThat(c.transportUrl()).isEmpty();
    }

    @Test
    void unknownOptionsAreIgnored() {
        CinderConfig c = parse("[DEFAULT]", "no_such_option = 1", "[nova]", "region_name = x");
        assertThat(c.authStrategy()).isEqualTo("noauth");
    }

    @Test
    void redactsPasswordsInUrls() {
        assertThat(ConnectionUrls.redact("rabbit://u:secret@h:5672/")).isEqualTo("rabbit://u:***@h:5672/");
        assertThatThrownBy(() -> ConnectionUrls.transport("amqp://u:secret@h/", "f"))
                .hasMessageNotContaining("secret").hasMessageContaining("not a rabbit:// URL");
        assertThatThrownBy(() -> ConnectionUrls.database("mysql://u:secret@h/cinder", "f"))
                .hasMessageNotContaining("secret");
    }

    @Test
    void keystoneNeedsItsCredentialsAndSaysWhichOneIsMissing() {
        assertThatThrownBy(() -> parse("[DEFAULT]", "auth_strategy = keystone", "[keystone_authtoken]",
                "auth_type = password", "auth_url = http://keystone:5000/v3", "username = cinder",
                "project_name = service"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("/etc/cinder/cinder.conf: [keystone_authtoken] password: required option is not set");
        assertThatThrownBy(() -> parse("[DEFAULT]", "auth_strategy = keystone2"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[DEFAULT] auth_strategy: 'keystone2' is not noauth or keystone");

        CinderConfig c = parse("[DEFAULT]", "auth_strategy = keystone", "[keystone_authtoken]",
                "auth_type = password", "auth_url = http://keystone:5000/v3", "username = cinder",
                "password = secret", "project_name = service");
        assertThat(c.authStrategy()).isEqualTo("keystone");
        assertThat(CinderOptions.AUTH_TOKEN.require(c.file()).wwwAuthenticateUri())
                .as("www_authenticate_uri defaults to auth_url").isEqualTo("http://keystone:5000/v3");
        assertThat(CinderOptions.AUTH_TOKEN.require(c.file()).tokenCacheTime().toSeconds()).isEqualTo(300);
        assertThat(parse().authStrategy()).as("noauth stays the default").isEqualTo("noauth");
    }
}
