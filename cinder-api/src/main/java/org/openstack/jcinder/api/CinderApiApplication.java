package org.openstack.jcinder.api;

import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.ConfigException;
import org.openstack.jcinder.common.config.ServiceLauncher;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** {@code cinder-api --config-file /etc/cinder/cinder.conf}. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ApiServiceConfiguration.class)
public class CinderApiApplication {

    public static void main(String[] args) {
        try {
            CinderConfig config = ServiceLauncher.requireConfig(args, "/etc/cinder/cinder.conf");
            config.requireTransportUrl();
            config.requireDatabaseConnection();
            ServiceLauncher.run(CinderApiApplication.class, config, true, args);
        } catch (ConfigException e) {
            ServiceLauncher.exitOnConfigError(e);
        }
    }
}
