package org.openstack.jcinder.all;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderOptions;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.compute.NovaComputeApplication;
import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.compute.config.NovaOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The compute service of the all-in-one: when cinder.conf names no Nova ({@code [nova] endpoint_override}),
 * a compute service runs in the same JVM — on {@code --compute-port} (default 8774), with the simulated
 * hypervisor unless {@code --compute-config-file nova.conf} says otherwise — and the two are pointed at
 * each other (a given nova.conf's {@code [cinder] endpoint_override} is replaced by this Cinder's), so an
 * attached volume can be migrated with nothing else installed.
 */
public final class EmbeddedCompute implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCompute.class);

    private final ConfigurableApplicationContext context;

    private EmbeddedCompute(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** The compute service's own Spring context (its hypervisor driver, its manager). */
    public ConfigurableApplicationContext context() {
        return context;
    }

    /** The compute API's endpoint, as Cinder's {@code [nova] endpoint_override} takes it. */
    public String endpoint() {
        return endpoint(context);
    }

    @Override
    public void close() {
        context.close();
    }

    /** Cinder's configuration as the compute service needs it started first: with a concrete API port. */
    static CinderConfig withConcretePort(CinderConfig cinder) {
        if (cinder.listenPort() != 0) {
            return cinder;
        }
        // The API's port becomes concrete; its management listener must stay on any free port as "port 0" meant
        // (not the fixed default), or two all-in-ones on one machine (parallel test runs) collide on it.
        CinderConfig concrete = cinder.with(CinderOptions.LISTEN_PORT, freePort());
        return CinderOptions.MANAGEMENT_PORT.find(cinder.file()).isPresent() ? concrete
                : concrete.with(CinderOptions.MANAGEMENT_PORT, 0);
    }

    static EmbeddedCompute start(CinderConfig cinder, Path computeConfig, int computePort) {
        String cinderEndpoint = "http://127.0.0.1:" + cinder.listenPort() + "/v3";
        NovaConfig config = computeConfig != null
                ? NovaConfig.load(computeConfig).with(NovaOptions.CINDER_ENDPOINT, cinderEndpoint)
                : NovaConfig.from(IniFile.parse(Path.of("<built-in all-in-one compute defaults>"), List.of(
                        "[DEFAULT]",
                        "compute_driver = simulated",
                        "host = " + cinder.host(),
                        "osapi_compute_listen_port = " + computePort,
                        "[cinder]",
                        "endpoint_override = " + cinderEndpoint)));
        ConfigurableApplicationContext ctx = NovaComputeApplication.start(config);
        LOG.info("Compute service ({}) on {}, using Cinder at {}", config.computeDriver(), endpoint(ctx),
                config.cinderEndpoint().orElse(cinderEndpoint));
        return new EmbeddedCompute(ctx);
    }

    static String endpoint(ConfigurableApplicationContext compute) {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) compute).getWebServer().getPort() + "/v2.1";
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the API", e);
        }
    }
}
