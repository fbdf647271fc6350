package org.openstack.jcinder.compute.config;

import java.util.List;
import java.util.Set;

import org.openstack.jcinder.shared.auth.AuthTokenOptions;
import org.openstack.jcinder.shared.config.KeystoneOptions;
import org.openstack.jcinder.shared.config.Option;
import org.openstack.jcinder.shared.config.OptionCatalogue;
import org.openstack.jcinder.shared.policy.PolicyFile;

/**
 * The options of the compute service's nova.conf: Nova's names and defaults where Nova has the option, this
 * project's otherwise (said in the help). {@code etc/nova/nova.conf} is checked against them.
 */
public final class NovaOptions {

    public static final OptionCatalogue CATALOGUE = new OptionCatalogue();
    private static final OptionCatalogue C = CATALOGUE;

    public static final Set<String> COMPUTE_DRIVERS = Set.of("libvirt.LibvirtDriver", "libvirt", "simulated",
            "fake.FakeDriver");

    public static final Option<String> HOST = C.string("DEFAULT", "host", null,
            "The name this compute host gives Cinder in attachment connectors. Default: the host name.");
    public static final Option<String> LISTEN_ADDRESS = C.string("DEFAULT", "osapi_compute_listen", "127.0.0.1",
            "Address of the compute API.");
    public static final Option<Integer> LISTEN_PORT = C.integer("DEFAULT", "osapi_compute_listen_port", 8774, 0,
            65535, "Port of the compute API.");
    public static final Option<String> COMPUTE_DRIVER = C.choice("DEFAULT", "compute_driver",
            "libvirt.LibvirtDriver", COMPUTE_DRIVERS,
            "libvirt.LibvirtDriver (real libvirt/QEMU) or simulated (in-process domains, real data mirroring).");

    public static final Option<String> LOG_FORMAT = C.choice("DEFAULT", "log_format", "text",
            List.of("text", "json"), "text: oslo.log's one-line layout; json: one JSON object a line with "
                    + "timestamp, level, logger, message and the request id (jcinder).");

    /** The operators' listener: Prometheus metrics and health probes, apart from the compute API. */
    public static final Option<String> MANAGEMENT_HOST = C.string("management", "host", "127.0.0.1",
            "Address of the management listener (/metrics, /health/liveness, /health/readiness) (jcinder).");
    public static final Option<Integer> MANAGEMENT_PORT = C.integer("management", "port", 9774, 0, 65535,
            "Port of the management listener; any free port when osapi_compute_listen_port is 0 (jcinder).");

    public static final Option<String> AUTH_STRATEGY = C.choice("api", "auth_strategy", "noauth2",
            List.of("noauth2", "keystone"), "noauth2 (Nova's; this project's default): X-Auth-Token is "
                    + "\"user:project\". keystone: tokens are validated by Keystone ([keystone_authtoken]).");
    public static final AuthTokenOptions AUTH_TOKEN = AuthTokenOptions.declare(C);

    public static final Option<String> CINDER_ENDPOINT = C.string("cinder", "endpoint_override", null,
            "Cinder's v3 endpoint. Unset: endpoint_template, else the catalog (catalog_info) of the [cinder] "
                    + "user's token, else (no Keystone credentials) http://127.0.0.1:8776/v3.");
    public static final Option<String> CINDER_CATALOG_INFO = C.string("cinder", "catalog_info",
            "volumev3::publicURL", "Info to match when looking for cinder in the service catalog: "
                    + "<service_type>:<service_name>:<endpoint_type> (the service_name may be empty).");
    public static final Option<String> CINDER_ENDPOINT_TEMPLATE = C.string("cinder", "endpoint_template", null,
            "Overrides the service catalog lookup with this template for the cinder endpoint, e.g. "
                    + "http://localhost:8776/v3/%(project_id)s (the caller's project).");
    public static final Option<String> CINDER_REGION = C.string("cinder", "os_region_name", null,
            "Region name of this node, for the catalog lookup of cinder.");
    public static final Option<Integer> CINDER_TIMEOUT = C.integer("cinder", "http_timeout", 60, 1, 3600,
            "Seconds a request to Cinder may take.");
    public static final KeystoneOptions CINDER_AUTH = KeystoneOptions.declare(C, "cinder");

    public static final Option<String> LIBVIRT_URI = C.string("libvirt", "connection_uri", "qemu:///system",
            "libvirt's connection URI.");
    public static final Option<String> LIBVIRT_VIRT_TYPE = C.string("libvirt", "virt_type", "kvm",
            "kvm where /dev/kvm exists; qemu for software emulation (TCG).");
    public static final Option<Integer> BLOCK_JOB_POLL_INTERVAL = C.integer("libvirt", "block_job_poll_interval_ms",
            500, 10, 60_000, "jcinder: how often a block job is polled during a swap (Nova: 500 ms, fixed).");

    public static final Option<Integer> SWAP_VOLUME_BANDWIDTH = C.integer("compute", "swap_volume_bandwidth", 0, 0,
            Integer.MAX_VALUE, "jcinder: cap on a volume swap's block copy, bytes per second (0 = unlimited).");

    public static final Option<String> SIMULATED_GUEST_WORKLOAD = C.choice("simulated", "guest_workload", "none",
            List.of("none", "journal"), "jcinder: none, or journal (a guest writing numbered, fsync'ed records).");

    public static final KeystoneOptions SERVICE_USER = KeystoneOptions.declareServiceUser(C);

    /** {@code [oslo_policy] policy_file}: the operator's rules over Nova's defaults (compute API). */
    public static final Option<String> POLICY_FILE = PolicyFile.declare(C);

    private NovaOptions() {
    }
}
