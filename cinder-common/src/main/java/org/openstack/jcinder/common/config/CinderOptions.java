package org.openstack.jcinder.common.config;

import java.util.List;

import org.openstack.jcinder.shared.auth.AuthTokenOptions;
import org.openstack.jcinder.shared.config.KeystoneOptions;
import org.openstack.jcinder.shared.config.Option;
import org.openstack.jcinder.shared.config.OptionCatalogue;
import org.openstack.jcinder.shared.policy.PolicyFile;

/**
 * The options of cinder.conf outside the backend sections ({@link BackendOptions}), with Cinder's names and
 * defaults so an operator's file carries over. {@code etc/cinder/cinder.conf} is checked against them.
 */
public final class CinderOptions {

    public static final OptionCatalogue CATALOGUE = new OptionCatalogue();
    private static final OptionCatalogue C = CATALOGUE;
    private static final int MAX = Integer.MAX_VALUE;

    public static final Option<String> HOST = C.string("DEFAULT", "host", null,
            "Name of this node; volume services are addressed as <host>@<backend>. Default: the host name.");
    public static final Option<List<String>> ENABLED_BACKENDS = C.list("DEFAULT", "enabled_backends",
            "Backends served by cinder-volume on this node, each described by a section of its own.");
    public static final Option<String> TRANSPORT_URL = C.string("DEFAULT", "transport_url", null,
            "RabbitMQ: rabbit://user:password@host:port[,user:password@host2:port]/vhost");
    public static final Option<String> LISTEN_ADDRESS = C.string("DEFAULT", "osapi_volume_listen", "127.0.0.1",
            "Address of the REST API (cinder-api).");
    public static final Option<Integer> LISTEN_PORT = C.integer("DEFAULT", "osapi_volume_listen_port", 8776, 0,
            65535, "Port of the REST API.");
    public static final Option<String> AUTH_STRATEGY = C.choice("DEFAULT", "auth_strategy", "noauth",
            List.of("noauth", "keystone"), "noauth: X-Auth-Token is \"user:project\"; user \"admin\" is an "
                    + "administrator. keystone: tokens are validated by Keystone ([keystone_authtoken]).");
    public static final Option<Integer> SERVICE_DOWN_TIME = C.integer("DEFAULT", "service_down_time", 60, 1, MAX,
            "Seconds after which a service without heartbeat is shown down and not scheduled to.");
    public static final Option<Integer> REPORT_INTERVAL = C.integer("DEFAULT", "report_interval", 10, 1, MAX,
            "Seconds between heartbeats and capability reports.");
    public static final Option<Integer> RPC_RESPONSE_TIMEOUT = C.integer("DEFAULT", "rpc_response_timeout", 60, 1,
            MAX, "Seconds an RPC call waits for its answer.");
    public static final Option<Integer> MIGRATION_CREATE_VOLUME_TIMEOUT = C.integer("DEFAULT",
            "migration_create_volume_timeout_secs", 300, 1, MAX,
            "Seconds a migration waits for its temporary volume on the destination.");
    public static final Option<Integer> MIGRATION_RECONCILE_INTERVAL = C.integer("DEFAULT",
            "migration_reconcile_interval", 60, 1, MAX,
            "Seconds between two passes of every volume service's migration reconciler (also run at start): "
                    + "it fails migrations whose owner is down and removes temporary volumes of ended ones.");
    public static final Option<Boolean> MIGRATION_RESUME = C.bool("DEFAULT", "migration_resume", true,
            "Whether a host copy interrupted by a crash of its volume service resumes from its last verified "
                    + "checkpoint when the service is back (else the migration fails, as in Cinder).");
    public static final Option<Integer> MIGRATION_CHECKPOINT_MB = C.integer("DEFAULT", "migration_checkpoint_mb",
            256, 1, MAX, "MiB of the source's data a host copy moves between two durable checkpoints (flushed and "
                    + "checksummed); holes a sparse copy skips do not count.");
    public static final Option<Integer> MAX_CONCURRENT_MIGRATIONS_PER_HOST = C.integer("DEFAULT",
            "max_concurrent_migrations_per_host", 0, 0, MAX, "Migrations from the backends of this host that run "
                    + "at once (0 = unlimited); more wait in a queue, first come first served.");
    public static final Option<String> STORAGE_AVAILABILITY_ZONE = C.string("DEFAULT",
            "storage_availability_zone", "nova", "Availability zone of this node's volume services.");
    public static final Option<String> DEFAULT_VOLUME_TYPE = C.string("DEFAULT", "default_volume_type",
            "__DEFAULT__", "Type of a volume created without one.");
    public static final Option<String> UPGRADE_LEVELS_VOLUME = C.string("upgrade_levels", "volume", null,
            "Highest RPC API version callers send to cinder-volume services: unset = the newest this code speaks; "
                    + "auto = the lowest rpc_current_version among the non-deleted cinder-volume rows of the services "
                    + "table (a rolling upgrade); or a version such as 3.5.");
    public static final Option<String> UPGRADE_LEVELS_SCHEDULER = C.string("upgrade_levels", "scheduler", null,
            "The same for the cinder-scheduler services.");
    public static final Option<Integer> UPGRADE_LEVELS_AUTO_REFRESH = C.integer("upgrade_levels",
            "auto_refresh_interval", 0, 0, MAX, "Seconds an `auto` version stays cached in each process; 0 = until "
                    + "the process restarts (Cinder's behaviour).");
    public static final Option<String> VOLUME_RPC_VERSION_OVERRIDE = C.string("DEFAULT",
            "volume_rpc_version_override", null, "Testing only: the volume RPC API version this process's volume "
                    + "services announce in the services table and serve (newer messages are refused), as an "
                    + "older release would. Unset: the newest.");
    public static final Option<String> SCHEDULER_RPC_VERSION_OVERRIDE = C.string("DEFAULT",
            "scheduler_rpc_version_override", null, "Testing only: the same for this process's scheduler.");
    public static final Option<String> DEFAULT_GROUP_TYPE = C.string("DEFAULT", "default_group_type", null,
            "Group type GET /group_types/default shows (none by default, as in Cinder).");
    public static final Option<Integer> MAX_LIMIT = C.integer("DEFAULT", "osapi_max_limit", 1000, 1, MAX,
            "Largest page of a list request.");
    public static final Option<Integer> MESSAGE_TTL = C.integer("DEFAULT", "message_ttl", 2592000, 0, MAX,
            "Seconds a user message is kept at least (Cinder's default: 30 days).");
    public static final Option<Integer> MESSAGE_REAP_INTERVAL = C.integer("DEFAULT", "message_reap_interval",
            86400, 1, MAX, "Seconds between the scheduler's removals of expired user messages.");
    public static final Option<String> STATE_PATH = C.string("DEFAULT", "state_path", null,
            "Where services keep local state.");

    // Quotas (cinder/quota.py's quota_opts): the limits a project has unless an administrator set others for
    // it or for the "default" quota class; -1 is unlimited.
    public static final Option<Integer> QUOTA_VOLUMES = C.integer("DEFAULT", "quota_volumes", 10, -1, MAX,
            "Number of volumes allowed per project.");
    public static final Option<Integer> QUOTA_SNAPSHOTS = C.integer("DEFAULT", "quota_snapshots", 10, -1, MAX,
            "Number of volume snapshots allowed per project.");
    public static final Option<Integer> QUOTA_GROUPS = C.integer("DEFAULT", "quota_groups", 10, -1, MAX,
            "Number of groups allowed per project.");
    public static final Option<Integer> QUOTA_GIGABYTES = C.integer("DEFAULT", "quota_gigabytes", 1000, -1, MAX,
            "Total amount of storage, in gigabytes, allowed for volumes and snapshots per project.");
    public static final Option<Integer> QUOTA_BACKUPS = C.integer("DEFAULT", "quota_backups", 10, -1, MAX,
            "Number of volume backups allowed per project.");
    public static final Option<Integer> QUOTA_BACKUP_GIGABYTES = C.integer("DEFAULT", "quota_backup_gigabytes",
            1000, -1, MAX, "Total amount of storage, in gigabytes, allowed for backups per project.");
    public static final Option<Integer> PER_VOLUME_SIZE_LIMIT = C.integer("DEFAULT", "per_volume_size_limit", -1,
            -1, MAX, "Max size allowed per volume, in gigabytes.");
    public static final Option<Boolean> USE_DEFAULT_QUOTA_CLASS = C.bool("DEFAULT", "use_default_quota_class",
            true, "Take defaults from the \"default\" quota class where it sets them (else the quota_* options).");
    public static final Option<Integer> RESERVATION_EXPIRE = C.integer("DEFAULT", "reservation_expire", 86400, 0,
            MAX, "Cinder's: seconds until a reservation expires. Accepted; reservations here are counters "
                    + "released by the operation that took them.");
    public static final Option<Integer> UNTIL_REFRESH = C.integer("DEFAULT", "until_refresh", 0, 0, MAX,
            "Cinder's: reservations until usage is refreshed. Accepted; usage here is kept exact.");
    public static final Option<Integer> MAX_AGE = C.integer("DEFAULT", "max_age", 0, 0, MAX,
            "Cinder's: seconds between usage refreshes. Accepted; usage here is kept exact.");

    static {
        C.ignored("DEFAULT", "quota_consistencygroups", "Cinder's (removed there too); accepted, no effect here.");
        C.ignored("DEFAULT", "quota_driver", "Cinder's; accepted, the database driver is the only one.");
        C.ignored("DEFAULT", "reservation_clean_interval", "Cinder's; accepted, no effect here.");
    }

    static {
        for (String name : new String[] {"default_availability_zone", "debug", "verbose", "log_dir", "log_file",
                "my_ip", "glance_api_servers", "control_exchange", "api_paste_config", "rootwrap_config",
                "volumes_dir", "iscsi_helper", "target_helper"}) {
            C.ignored("DEFAULT", name, "Cinder's; accepted, no effect here.");
        }
    }

    /** text: oslo.log's layout (the default); json: one JSON object a line, with the request's ids (MDC). */
    public static final Option<String> LOG_FORMAT = C.choice("DEFAULT", "log_format", "text",
            List.of("text", "json"), "text: oslo.log's one-line layout; json: one JSON object a line with "
                    + "timestamp, level, logger, message and the request id, volume id, migration id and phase.");
    /** The operators' listener: Prometheus metrics and health probes, apart from the API. */
    public static final Option<String> MANAGEMENT_HOST = C.string("management", "host", "127.0.0.1",
            "Address of the management listener (/metrics, /health/liveness, /health/readiness).");
    public static final Option<Integer> MANAGEMENT_PORT = C.integer("management", "port", 9776, 0, 65535,
            "Port of the management listener. cinder-api and the all-in-one always listen (any free port when "
                    + "osapi_volume_listen_port is 0); cinder-scheduler and cinder-volume only when it is set.");

    public static final Option<String> DATABASE_CONNECTION = C.string("database", "connection", null,
            "SQLAlchemy-style URL as in Cinder (postgresql:// or postgresql+psycopg2://), or a jdbc: URL.");

    static {
        for (String name : new String[] {"max_pool_size", "max_overflow", "connection_recycle_time"}) {
            C.ignored("database", name, "oslo.db's; accepted, no effect here.");
        }
    }

    public static final Option<String> NOVA_ENDPOINT = C.string("nova", "endpoint_override", null,
            "Nova's compute endpoint, for migrating and extending attached volumes. Unset with auth_type = "
                    + "password: the compute endpoint of the [nova] user's service catalog.");
    public static final Option<String> NOVA_INTERFACE = C.choice("nova", "interface", "public",
            List.of("public", "admin", "internal"), "Type of the nova endpoint to use. This endpoint will be "
                    + "looked up in the keystone catalog and should be one of public, internal or admin.");
    public static final AuthTokenOptions AUTH_TOKEN = AuthTokenOptions.declare(C);

    /** {@code [oslo_policy] policy_file}: the operator's policy rules (cinder-api's PolicyEnforcer). */
    public static final Option<String> POLICY_FILE = PolicyFile.declare(C);

    public static final KeystoneOptions NOVA_AUTH = KeystoneOptions.declare(C, "nova");

    static {
        for (String name : new String[] {"token_auth_url", "cafile", "certfile", "keyfile", "insecure", "timeout",
                "collect_timing", "split_loggers", "auth_section"}) {
            C.ignored("nova", name, "Cinder's; accepted, no effect here.");
        }
    }
    public static final KeystoneOptions SERVICE_USER = KeystoneOptions.declareServiceUser(C);

    private CinderOptions() {
    }
}
