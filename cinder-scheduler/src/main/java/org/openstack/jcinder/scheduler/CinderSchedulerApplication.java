package org.openstack.jcinder.scheduler;

import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.ConfigException;
import org.openstack.jcinder.common.config.ServiceLauncher;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** {@code cinder-scheduler --config-file /etc/cinder/cinder.conf}. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(SchedulerServiceConfiguration.class)
public class CinderSchedulerApplication {

    public static void main(String[] args) {
        try {
            CinderConfig config = ServiceLauncher.requireConfig(args, "/etc/cinder/cinder.conf");
            config.requireTransportUrl();
            config.requireDatabaseConnection();
            ServiceLauncher.run(CinderSchedulerApplication.class, config, false, args);
        } catch (ConfigException e) {
            ServiceLauncher.exitOnConfigError(e);
        }
    }
}
