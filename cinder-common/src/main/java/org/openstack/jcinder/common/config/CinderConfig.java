package org.openstack.jcinder.common.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.openstack.jcinder.shared.config.ConfigException;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.shared.config.KeystoneCredentials;
import org.openstack.jcinder.shared.config.OptionReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The typed view of {@code cinder.conf}. Every service reads the same file (the OpenStack convention), each
 * uses the part it needs. Option names, defaults and meanings follow Cinder's so an operator's file carries over.
 */
public record CinderConfig(
        Path source,
        String host,
        List<String> enabledBackends,
        Optional<String> transportUrl,
        String listenAddress,
        int listenPort,
        String authStrategy,
        Duration serviceDownTime,
        Duration reportInterval,
        Duration rpcResponseTimeout,
        String storageAvailabilityZone,
        String defaultVolumeType,
        int maxLimit,
        Optional<Path> statePath,
        Optional<String> databaseConnection,
        Map<String, BackendConfig> backends,
        Optional<String> novaEndpoint,
        Duration migrationCreateVolumeTimeout,
        KeystoneCredentials novaAuth,
        KeystoneCredentials serviceUser) {

    private static final Logger LOG = LoggerFactory.getLogger(CinderConfig.class);

    private static final Set<String> DEFAULT_OPTIONS = Set.of(
            "host", "enabled_backends", "transport_url", "osapi_volume_listen", "osapi_volume_listen_port",
            "auth_strategy", "service_down_time", "report_interval", "rpc_response_timeout",
            "storage_availability_zone", "default_availability_zone", "default_volume_type", "osapi_max_limit",
            "state_path", "debug", "verbose", "log_dir", "log_file", "my_ip", "glance_api_servers",
            "control_exchange", "api_paste_config", "rootwrap_config", "volumes_dir", "iscsi_helper",
            "target_helper", "migration_create_volume_timeout_secs");
    private static final Set<String> DATABASE_OPTIONS = Set.of("connection", "max_pool_size", "max_overflow",
            "connection_recycle_time");
    /** Sections other services of OpenStack share in cinder.conf; read by later features or by nobody. */
    private static final Set<String> PASSIVE_SECTIONS = Set.of("keystone_authtoken", "oslo_messaging_rabbit",
            "oslo_concurrency", "nova", "service_user", "coordination", "oslo_policy", "backend_defaults");

    public static CinderConfig load(Path path) {
        return from(IniFile.load(path));
    }

    /** A configuration with every default and no file: what the all-in-one uses when started bare. */
    public static CinderConfig defaults() {
        return from(IniFile.parse(Path.of("<defaults>"), List.of()));
    }

    public static CinderConfig from(IniFile ini) {
        OptionReader d = new OptionReader(ini, "DEFAULT");
        d.warnUnknown(DEFAULT_OPTIONS);
        OptionReader db = new OptionReader(ini, "database");
        db.warnUnknown(DATABASE_OPTIONS);

        List<String> backendNames = d.list("enabled_backends");
        Map<String, BackendConfig> backends = new LinkedHashMap<>();
        for (String name : backendNames) {
            if (!ini.hasSection(name)) {
                throw new ConfigException(ini.source() + ": [DEFAULT] enabled_backends names '" + name
                        + "' but there is no [" + name + "] section");
            }
            backends.put(name, BackendConfig.from(ini, name));
        }
        for (String section : ini.sectionNames()) {
            if (!section.equals("DEFAULT") && !section.equals("database") && !backends.containsKey(section)
                    && !PASSIVE_SECTIONS.contains(section)) {
                LOG.warn("{}: section [{}] is not an enabled backend nor a known section; ignored",
                        ini.source(), section);
            }
        }
        return new CinderConfig(
                ini.source(),
                d.string("host").orElseGet(CinderConfig::hostname),
                List.copyOf(backendNames),
                d.string("transport_url"),
                d.string("osapi_volume_listen").orElse("127.0.0.1"),
                d.integer("osapi_volume_listen_port", 8776, 0, 65535),
                d.string("auth_strategy").orElse("noauth"),
                Duration.ofSeconds(d.integer("service_down_time", 60, 1, Integer.MAX_VALUE)),
                Duration.ofSeconds(d.integer("report_interval", 10, 1, Integer.MAX_VALUE)),
                Duration.ofSeconds(d.integer("rpc_response_timeout", 60, 1, Integer.MAX_VALUE)),
                d.string("storage_availability_zone").orElse("nova"),
                d.string("default_volume_type").orElse("__DEFAULT__"),
                d.integer("osapi_max_limit", 1000, 1, Integer.MAX_VALUE),
                d.string("state_path").map(Path::of),
                db.string("connection"),
                Map.copyOf(backends),
                new OptionReader(ini, "nova").string("endpoint_override"),
                Duration.ofSeconds(d.integer("migration_create_volume_timeout_secs", 300, 1, Integer.MAX_VALUE)),
                KeystoneCredentials.from(new OptionReader(ini, "nova")),
                KeystoneCredentials.from(new OptionReader(ini, "service_user")));
    }

    /** The transport URL, or a start-up error naming the file, section and key. */
    public String requireTransportUrl() {
        return transportUrl.orElseThrow(() -> missing("DEFAULT", "transport_url"));
    }

    public String requireDatabaseConnection() {
        return databaseConnection.orElseThrow(() -> missing("database", "connection"));
    }

    public ConfigException missing(String section, String key) {
        return new ConfigException(source + ": [" + section + "] " + key + ": required option is not set");
    }

    public CinderConfig withTransportUrl(String url) {
        return new CinderConfig(source, host, enabledBackends, Optional.of(url), listenAddress, listenPort,
                authStrategy, serviceDownTime, reportInterval, rpcResponseTimeout, storageAvailabilityZone,
                defaultVolumeType, maxLimit, statePath, databaseConnection, backends, novaEndpoint,
                migrationCreateVolumeTimeout, novaAuth, serviceUser);
    }

    public CinderConfig withDatabaseConnection(String connection) {
        return new CinderConfig(source, host, enabledBackends, transportUrl, listenAddress, listenPort,
                authStrategy, serviceDownTime, reportInterval, rpcResponseTimeout, storageAvailabilityZone,
                defaultVolumeType, maxLimit, statePath, Optional.of(connection), backends, novaEndpoint,
                migrationCreateVolumeTimeout, novaAuth, serviceUser);
    }

    public CinderConfig withStatePath(Path path) {
        return new CinderConfig(source, host, enabledBackends, transportUrl, listenAddress, listenPort,
                authStrategy, serviceDownTime, reportInterval, rpcResponseTimeout, storageAvailabilityZone,
                defaultVolumeType, maxLimit, Optional.of(path), databaseConnection, backends, novaEndpoint,
                migrationCreateVolumeTimeout, novaAuth, serviceUser);
    }

    public CinderConfig withListenPort(int port) {
        return new CinderConfig(source, host, enabledBackends, transportUrl, listenAddress, port,
                authStrategy, serviceDownTime, reportInterval, rpcResponseTimeout, storageAvailabilityZone,
                defaultVolumeType, maxLimit, statePath, databaseConnection, backends, novaEndpoint,
                migrationCreateVolumeTimeout, novaAuth, serviceUser);
    }

    public CinderConfig withNovaEndpoint(String endpoint) {
        return new CinderConfig(source, host, enabledBackends, transportUrl, listenAddress, listenPort,
                authStrategy, serviceDownTime, reportInterval, rpcResponseTimeout, storageAvailabilityZone,
                defaultVolumeType, maxLimit, statePath, databaseConnection, backends, Optional.of(endpoint),
                migrationCreateVolumeTimeout, novaAuth, serviceUser);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
