package org.openstack.jcinder.all;

import java.nio.file.Path;

import org.openstack.jcinder.api.ApiServiceConfiguration;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.ConfigException;
import org.openstack.jcinder.common.config.ServiceLauncher;
import org.openstack.jcinder.scheduler.SchedulerServiceConfiguration;
import org.openstack.jcinder.volume.VolumeServiceConfiguration;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * {@code cinder-all [--config-file cinder.conf] [--data-dir DIR]}: the API, the scheduler and the volume
 * service in one JVM. What the configuration leaves out is supplied in-process: an embedded AMQP broker
 * without {@code transport_url}, an embedded database without {@code [database] connection}, two file
 * backends without {@code enabled_backends}. All state lives under the data directory ({@code ./cinder-data}).
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
        Path dataDir = dataDirArg(args);
        EmbeddedDefaults.Resolved resolved = EmbeddedDefaults.resolve(ServiceLauncher.configFileArg(args), dataDir);
        CinderConfig config = resolved.config();
        try {
            // Registered as a disposable bean, the broker is closed after the listener containers and the
            // connection factory have stopped, so shutdown does not make the consumers log lost connections.
            return ServiceLauncher.builder(CinderAllApplication.class, config, true)
                    .initializers(ctx -> ((DefaultListableBeanFactory) ctx.getBeanFactory())
                            .registerDisposableBean("embeddedDefaults", resolved::close))
                    .run(ServiceLauncher.springArgs(withoutDataDir(args)));
        } catch (RuntimeException e) {
            resolved.close();
            throw e;
        }
    }

    private static Path dataDirArg(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--data-dir") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--data-dir=")) {
                return Path.of(args[i].substring("--data-dir=".length()));
            }
        }
        String env = System.getenv("CINDER_DATA_DIR");
        return Path.of(env != null && !env.isBlank() ? env : "cinder-data");
    }

    private static String[] withoutDataDir(String[] args) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--data-dir")) {
                i++;
            } else if (!args[i].startsWith("--data-dir=")) {
                out.add(args[i]);
            }
        }
        return out.toArray(String[]::new);
    }
}
