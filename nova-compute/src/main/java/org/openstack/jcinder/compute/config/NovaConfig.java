package org.openstack.jcinder.compute.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.shared.config.KeystoneCredentials;
import org.openstack.jcinder.shared.config.Option;

/**
 * The compute service's {@code nova.conf}, with Nova's option names so an operator's file reads the same.
 * The API authenticates per {@code [api] auth_strategy} ({@code [keystone_authtoken]} with Keystone); the
 * Keystone options of the calls to Cinder ({@code [cinder] auth_*}, {@code [service_user]}) give the tokens
 * and, without {@code endpoint_override}/{@code endpoint_template}, the catalog Cinder is found in
 * ({@code catalog_info}, {@code os_region_name}).
 */
public record NovaConfig(
        IniFile file,
        String host,
        String listenAddress,
        int listenPort,
        String computeDriver,
        Optional<String> cinderEndpoint,
        Optional<String> cinderEndpointTemplate,
        String cinderCatalogInfo,
        Optional<String> cinderRegion,
        Duration cinderTimeout,
        String libvirtUri,
        String libvirtVirtType,
        Duration blockJobPollInterval,
        String simulatedGuestWorkload,
        long swapVolumeBandwidth,
        KeystoneCredentials cinderAuth,
        KeystoneCredentials serviceUser,
        String authStrategy) {

    public static NovaConfig load(Path path) {
        return from(IniFile.load(path));
    }

    public static NovaConfig from(IniFile ini) {
        if ("keystone".equals(NovaOptions.AUTH_STRATEGY.get(ini))) {
            NovaOptions.AUTH_TOKEN.require(ini); // a missing credential stops the service now, in one line
        }
        return new NovaConfig(
                ini,
                NovaOptions.HOST.find(ini).orElseGet(NovaConfig::hostname),
                NovaOptions.LISTEN_ADDRESS.get(ini),
                NovaOptions.LISTEN_PORT.get(ini),
                NovaOptions.COMPUTE_DRIVER.get(ini),
                NovaOptions.CINDER_ENDPOINT.find(ini).map(e -> e.replaceAll("/+$", "")),
                NovaOptions.CINDER_ENDPOINT_TEMPLATE.find(ini),
                NovaOptions.CINDER_CATALOG_INFO.get(ini),
                NovaOptions.CINDER_REGION.find(ini),
                Duration.ofSeconds(NovaOptions.CINDER_TIMEOUT.get(ini)),
                NovaOptions.LIBVIRT_URI.get(ini),
                NovaOptions.LIBVIRT_VIRT_TYPE.get(ini),
                Duration.ofMillis(NovaOptions.BLOCK_JOB_POLL_INTERVAL.get(ini)),
                NovaOptions.SIMULATED_GUEST_WORKLOAD.get(ini),
                NovaOptions.SWAP_VOLUME_BANDWIDTH.get(ini),
                NovaOptions.CINDER_AUTH.read(ini),
                NovaOptions.SERVICE_USER.read(ini),
                NovaOptions.AUTH_STRATEGY.get(ini));
    }

    /** The file this configuration was read from (or a name for built-in settings). */
    public Path source() {
        return file.source();
    }

    /** The configuration as if the file set {@code option} to {@code value} (the all-in-one's Cinder endpoint). */
    public <T> NovaConfig with(Option<T> option, T value) {
        return from(option.set(file, value));
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
