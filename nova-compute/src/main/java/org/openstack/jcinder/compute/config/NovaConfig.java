package org.openstack.jcinder.compute.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.openstack.jcinder.shared.config.OptionReader;
import org.openstack.jcinder.shared.config.ConfigException;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.shared.config.KeystoneCredentials;

/**
 * The compute service's {@code nova.conf}, with Nova's option names so an operator's file reads the same.
 * Keystone options ({@code [cinder] auth_*}, {@code [service_user]}) are read and kept for the Keystone issue;
 * today every call uses noauth tokens.
 */
public record NovaConfig(
        Path source,
        String host,
        String listenAddress,
        int listenPort,
        String computeDriver,
        String cinderEndpoint,
        Duration cinderTimeout,
        String libvirtUri,
        String libvirtVirtType,
        Duration blockJobPollInterval,
        String simulatedGuestWorkload,
        long swapVolumeBandwidth,
        KeystoneCredentials cinderAuth,
        KeystoneCredentials serviceUser) {

    public static final Set<String> COMPUTE_DRIVERS = Set.of("libvirt.LibvirtDriver", "libvirt", "simulated",
            "fake.FakeDriver");

    public static NovaConfig load(Path path) {
        return from(IniFile.load(path));
    }

    public static NovaConfig from(IniFile ini) {
        OptionReader d = new OptionReader(ini, "DEFAULT");
        OptionReader cinder = new OptionReader(ini, "cinder");
        OptionReader libvirt = new OptionReader(ini, "libvirt");
        OptionReader simulated = new OptionReader(ini, "simulated");
        OptionReader service = new OptionReader(ini, "service_user");
        OptionReader compute = new OptionReader(ini, "compute");
        String driver = d.string("compute_driver").orElse("libvirt.LibvirtDriver");
        if (!COMPUTE_DRIVERS.contains(driver)) {
            throw new ConfigException(ini.source() + ": [DEFAULT] compute_driver: '" + driver
                    + "' is not one of " + List.copyOf(COMPUTE_DRIVERS));
        }
        String workload = simulated.string("guest_workload").orElse("none");
        if (!workload.equals("none") && !workload.equals("journal")) {
            throw new ConfigException(ini.source() + ": [simulated] guest_workload: '" + workload
                    + "' is not none or journal");
        }
        return new NovaConfig(
                ini.source(),
                d.string("host").orElseGet(NovaConfig::hostname),
                d.string("osapi_compute_listen").orElse("127.0.0.1"),
                d.integer("osapi_compute_listen_port", 8774, 0, 65535),
                driver,
                cinder.string("endpoint_override").orElse("http://127.0.0.1:8776/v3").replaceAll("/+$", ""),
                Duration.ofSeconds(cinder.integer("http_timeout", 60, 1, 3600)),
                libvirt.string("connection_uri").orElse("qemu:///system"),
                libvirt.string("virt_type").orElse("kvm"),
                Duration.ofMillis(libvirt.integer("block_job_poll_interval_ms", 500, 10, 60_000)),
                workload,
                compute.integer("swap_volume_bandwidth", 0, 0, Integer.MAX_VALUE),
                KeystoneCredentials.from(cinder),
                KeystoneCredentials.from(service));
    }

    /** The same configuration talking to the Cinder at {@code endpoint} (the all-in-one's own). */
    public NovaConfig withCinderEndpoint(String endpoint) {
        return new NovaConfig(source, host, listenAddress, listenPort, computeDriver, endpoint,
                cinderTimeout, libvirtUri, libvirtVirtType, blockJobPollInterval, simulatedGuestWorkload,
                swapVolumeBandwidth, cinderAuth, serviceUser);
    }

    public boolean simulated() {
        return computeDriver.equals("simulated") || computeDriver.equals("fake.FakeDriver");
    }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
