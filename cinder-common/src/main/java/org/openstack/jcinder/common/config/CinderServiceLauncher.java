package org.openstack.jcinder.common.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.openstack.jcinder.shared.config.ConfigException;
import org.openstack.jcinder.shared.config.ServiceLauncher;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts one Spring context for one or more Cinder services from a cinder.conf, the way each OpenStack
 * service starts: {@code --config-file PATH}. The parsed {@link CinderConfig} becomes a bean.
 */
public final class CinderServiceLauncher {

    private CinderServiceLauncher() {
    }

    /** Reads the file named by {@code --config-file}, or fails with a one-line reason. */
    public static CinderConfig requireConfig(String[] args, String defaultPath) {
        Path path = ServiceLauncher.configFileArg(args);
        if (path == null) {
            path = Path.of(defaultPath);
            if (!Files.exists(path)) {
                throw new ConfigException("no configuration: pass --config-file PATH (looked for " + path + ")");
            }
        }
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(path + ": configuration file does not exist");
        }
        return CinderConfig.load(path);
    }

    public static ConfigurableApplicationContext run(Class<?> application, CinderConfig config, boolean web,
                                                     String[] args) {
        return builder(application, config, web).run(ServiceLauncher.springArgs(args));
    }

    public static SpringApplicationBuilder builder(Class<?> application, CinderConfig config, boolean web) {
        Map<String, Object> props = SpringSettings.from(config, web);
        return new SpringApplicationBuilder(application)
                .properties(props)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("cinderConfig", config));
    }

    /**
     * The {@code main} of a standalone service: reads {@code --config-file} (default
     * {@code /etc/cinder/cinder.conf}), requires the broker and database options, starts the context; a
     * configuration error ends the process with one line.
     */
    public static void main(Class<?> application, boolean web, String[] args) {
        try {
            CinderConfig config = requireConfig(args, "/etc/cinder/cinder.conf");
            config.requireTransportUrl();
            config.requireDatabaseConnection();
            run(application, config, web, args);
        } catch (ConfigException e) {
            ServiceLauncher.exitOnConfigError(e);
        }
    }
}
