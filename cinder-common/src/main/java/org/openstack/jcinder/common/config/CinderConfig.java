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

import org.openstack.jcinder.shared.auth.AuthTokenOptions;
import org.openstack.jcinder.shared.config.ConfigException;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.shared.config.KeystoneCredentials;
import org.openstack.jcinder.shared.config.Option;
import org.openstack.jcinder.shared.policy.PolicyFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The typed view of {@code cinder.conf}. Every service reads the same file (the OpenStack convention), each
 * uses the part it needs. Option names, defaults and meanings follow Cinder's so an operator's file carries over.
 */
public record CinderConfig(
        IniFile file,
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

    /** Sections other services of OpenStack share in cinder.conf; read by later features or by nobody. */
    private static final Set<String> PASSIVE_SECTIONS = Set.of("oslo_messaging_rabbit",
            "oslo_concurrency", "coordination", "backend_defaults");

    /** [DEFAULT] migration_reconcile_interval: period of the migration reconciler of every volume service. */
    public Duration migrationReconcileInterval() {
        return Duration.ofSeconds(CinderOptions.MIGRATION_RECONCILE_INTERVAL.get(file));
    }

    /** [DEFAULT] migration_resume: whether an interrupted host copy resumes from its checkpoints. */
    public boolean migrationResume() {
        return CinderOptions.MIGRATION_RESUME.get(file);
    }

    /** [DEFAULT] migration_checkpoint_mb, in bytes. */
    public long migrationCheckpointBytes() {
        return (long) CinderOptions.MIGRATION_CHECKPOINT_MB.get(file) << 20;
    }

    /** [DEFAULT] default_group_type, or null (groups API 3.11). */
    public String defaultGroupType() {
        return CinderOptions.DEFAULT_GROUP_TYPE.get(file);
    }

    /** [DEFAULT] max_concurrent_migrations_per_host (0 = unlimited): the volume services of this host together. */
    public int maxConcurrentMigrationsPerHost() {
        return CinderOptions.MAX_CONCURRENT_MIGRATIONS_PER_HOST.get(file);
    }

    public static CinderConfig load(Path path) {
        return from(IniFile.load(path));
    }

    /** A configuration with every default and no file: what the all-in-one uses when started bare. */
    public static CinderConfig defaults() {
        return from(IniFile.parse(Path.of("<defaults>"), List.of()));
    }

    public static CinderConfig from(IniFile ini) {
        CinderOptions.CATALOGUE.warnUnknown(ini, "DEFAULT");
        CinderOptions.CATALOGUE.warnUnknown(ini, "database");
        CinderOptions.CATALOGUE.warnUnknown(ini, AuthTokenOptions.SECTION);
        CinderOptions.CATALOGUE.warnUnknown(ini, PolicyFile.SECTION);
        CinderOptions.CATALOGUE.warnUnknown(ini, "upgrade_levels");
        CinderConfig config = read(ini);
        config.upgradeLevels(); // a malformed pin stops the service at start, not at its first RPC
        if ("keystone".equals(config.authStrategy)) {
            CinderOptions.AUTH_TOKEN.require(ini); // a missing credential stops the service now, in one line
        }
        for (String section : ini.sectionNames()) {
            if (!CinderOptions.CATALOGUE.sections().contains(section) && !config.backends.containsKey(section)
                    && !PASSIVE_SECTIONS.contains(section)) {
                LOG.warn("{}: section [{}] is not an enabled backend nor a known section; ignored",
                        ini.source(), section);
            }
        }
        return config;
    }

    private static CinderConfig read(IniFile ini) {
        List<String> backendNames = CinderOptions.ENABLED_BACKENDS.get(ini);
        Map<String, BackendConfig> backends = new LinkedHashMap<>();
        for (String name : backendNames) {
            if (!ini.hasSection(name)) {
                throw new ConfigException(ini.source() + ": [DEFAULT] enabled_backends names '" + name
                        + "' but there is no [" + name + "] section");
            }
            backends.put(name, BackendConfig.from(ini, name));
        }
        return new CinderConfig(
                ini,
                CinderOptions.HOST.find(ini).orElseGet(CinderConfig::hostname),
                backendNames,
                CinderOptions.TRANSPORT_URL.find(ini),
                CinderOptions.LISTEN_ADDRESS.get(ini),
                CinderOptions.LISTEN_PORT.get(ini),
                CinderOptions.AUTH_STRATEGY.get(ini),
                Duration.ofSeconds(CinderOptions.SERVICE_DOWN_TIME.get(ini)),
                Duration.ofSeconds(CinderOptions.REPORT_INTERVAL.get(ini)),
                Duration.ofSeconds(CinderOptions.RPC_RESPONSE_TIMEOUT.get(ini)),
                CinderOptions.STORAGE_AVAILABILITY_ZONE.get(ini),
                CinderOptions.DEFAULT_VOLUME_TYPE.get(ini),
                CinderOptions.MAX_LIMIT.get(ini),
                CinderOptions.STATE_PATH.find(ini).map(Path::of),
                CinderOptions.DATABASE_CONNECTION.find(ini),
                Map.copyOf(backends),
                CinderOptions.NOVA_ENDPOINT.find(ini),
                Duration.ofSeconds(CinderOptions.MIGRATION_CREATE_VOLUME_TIMEOUT.get(ini)),
                CinderOptions.NOVA_AUTH.read(ini),
                CinderOptions.SERVICE_USER.read(ini));
    }

    /**
     * Whether Cinder can find Nova: {@code [nova] endpoint_override}, or a {@code [nova] auth_type} whose token's
     * service catalog lists the compute endpoint.
     */
    public boolean novaConfigured() {
        return novaEndpoint.isPresent() || novaAuth.authType().isPresent();
    }

    /** {@code [upgrade_levels]} and the testing overrides of the RPC versions this process's services serve. */
    public UpgradeLevels upgradeLevels() {
        return UpgradeLevels.from(file);
    }

    /** The quota defaults ({@code quota_*}, {@code per_volume_size_limit}, {@code use_default_quota_class}). */
    public QuotaSettings quotas() {
        return QuotaSettings.from(file);
    }

    /** The file this configuration was read from (or a name for built-in settings). */
    public Path source() {
        return file.source();
    }

    /** The transport URL, or a start-up error naming the file, section and key. */
    public String requireTransportUrl() {
        return transportUrl.orElseThrow(() -> missing(CinderOptions.TRANSPORT_URL));
    }

    public String requireDatabaseConnection() {
        return databaseConnection.orElseThrow(() -> missing(CinderOptions.DATABASE_CONNECTION));
    }

    public ConfigException missing(Option<?> option) {
        return option.error(file, "required option is not set");
    }

    /**
     * The configuration as if the file set {@code option} to {@code value} (what the all-in-one supplies
     * itself). Read again like the file, so the value is checked the same way; warnings are not repeated.
     */
    public <T> CinderConfig with(Option<T> option, T value) {
        return read(option.set(file, value));
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
