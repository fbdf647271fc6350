package org.openstack.jcinder.volume;

import org.openstack.jcinder.common.config.CinderServiceLauncher;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** {@code cinder-volume --config-file /etc/cinder/cinder.conf}. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(VolumeServiceConfiguration.class)
public class CinderVolumeApplication {

    public static void main(String[] args) {
        CinderServiceLauncher.main(CinderVolumeApplication.class, false, args);
    }
}
