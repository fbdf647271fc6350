package org.openstack.jcinder.all;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.openstack.jcinder.api.ApiServiceConfiguration;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderOptions;
import org.openstack.jcinder.shared.config.ConfigException;
import org.openstack.jcinder.common.config.CinderServiceLauncher;
import org.openstack.jcinder.shared.config.ServiceLauncher;
import org.openstack.jcinder.scheduler.SchedulerServiceConfiguration;
import org.openstack.jcinder.volume.VolumeServiceConfiguration;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * {@code cinder-all [--config-file cinder.conf] [--data-dir DIR] [--compute-port N | --no-compute]
 * [--compute-config-file nova.conf]}: the API, the scheduler, the volume service and a compute service in one
 * JVM. What the configuration leaves out is supplied in-process: an embedded AMQP broker without
 * {@code transport_url}, an embedded database without {@code [database] connection}, two file backends without
 * {@code enabled_backends}, a compute service with the simulated hypervisor without {@code [nova]
 * endpoint_override} ({@link EmbeddedCompute}). All state lives under the data directory
 * ({@code ./cinder-data}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ApiServiceConfiguration.class, SchedulerServiceConfiguration.class, VolumeServiceConfiguration.class})
public class CinderAllApplication {

    public static void main(String[] args) {
        try {
            start(args);
        } catch (ConfigException e) {
            ServiceLauncher.exitOnConfigError(e);
        }
    }

    public static ConfigurableApplicationContext start(String[] args) {
        Path dataDir = Path.of(option(args, "--data-dir", envOr("CINDER_DATA_DIR", "cinder-data")));
        EmbeddedDefaults.Resolved resolved = EmbeddedDefaults.resolve(ServiceLauncher.configFileArg(args), dataDir);
        CinderConfig config = resolved.config();
        EmbeddedCompute compute = null;
        try {
            // A [nova] auth_type finds Nova in its token's catalog: a real compute service, not the embedded one.
            if (!config.novaConfigured() && !Arrays.asList(args).contains("--no-compute")) {
                // An API on any free port (tests) gets a compute service on any free port too.
                String defaultComputePort = config.listenPort() == 0 ? "0" : "8774";
                config = EmbeddedCompute.withConcretePort(config);
                String computeConfig = option(args, "--compute-config-file", null);
                compute = EmbeddedCompute.start(config, computeConfig == null ? null : Path.of(computeConfig),
                        Integer.parseInt(option(args, "--compute-port", defaultComputePort)));
                config = config.with(CinderOptions.NOVA_ENDPOINT, compute.endpoint());
            }
            EmbeddedCompute startedCompute = compute;
            // Registered as disposable beans, the broker is closed after the listener containers and the
            // connection factory have stopped, so shutdown does not make the consumers log lost connections;
            // the compute service (registered last, closed first) still finds the broker to report through.
            return CinderServiceLauncher.builder(CinderAllApplication.class, config, true)
                    .initializers(ctx -> {
                        DefaultListableBeanFactory beans = (DefaultListableBeanFactory) ctx.getBeanFactory();
                        beans.registerDisposableBean("embeddedDefaults", resolved::close);
                        if (startedCompute != null) {
                            beans.registerSingleton("embeddedCompute", startedCompute);
                            beans.registerDisposableBean("embeddedComputeShutdown", startedCompute::close);
                        }
                    })
                    .run(ServiceLauncher.springArgs(withoutOwnOptions(args)));
        } catch (RuntimeException e) {
            if (compute != null) {
                compute.close();
            }
            resolved.close();
            throw e;
        }
    }

    /** The value of {@code --name VALUE} or {@code --name=VALUE}, else {@code fallback}. */
    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(name) && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith(name + "=")) {
                return args[i].substring(name.length() + 1);
            }
        }
        return fallback;
    }

    private static String envOr(String name, String fallback) {
        String env = System.getenv(name);
        return env != null && !env.isBlank() ? env : fallback;
    }

    /** Spring's arguments: without the all-in-one's own options. */
    private static String[] withoutOwnOptions(String[] args) {
        List<String> valued = List.of("--data-dir", "--compute-port", "--compute-config-file");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (valued.contains(a)) {
                i++;
            } else if (!a.equals("--no-compute") && valued.stream().noneMatch(v -> a.startsWith(v + "="))) {
                out.add(a);
            }
        }
        return out.toArray(String[]::new);
    }
}
