package org.openstack.jcinder.volume;

import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.ConfigException;
import org.openstack.jcinder.common.config.ServiceLauncher;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** {@code cinder-volume --config-file /etc/cinder/cinder.conf}. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(VolumeServiceConfiguration.class)
public class CinderVolumeApplication {

    public static void main(String[] args) {
        try {
            CinderConfig config = ServiceLauncher.requireConfig(args, "/etc/cinder/cinder.conf");
            config.requireTransportUrl();
            config.requireDatabaseConnection();
            ServiceLauncher.run(CinderVolumeApplication.class, config, false, args);
        } catch (ConfigException e) {
            ServiceLauncher.exitOnConfigError(e);
        }
    }
}
