package org.openstack.jcinder.api;

import org.openstack.jcinder.common.config.CinderServiceLauncher;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** {@code cinder-api --config-file /etc/cinder/cinder.conf}. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ApiServiceConfiguration.class)
public class CinderApiApplication {

    public static void main(String[] args) {
        CinderServiceLauncher.main(CinderApiApplication.class, true, args);
    }
}
