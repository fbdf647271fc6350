package org.openstack.jcinder.scheduler;

import org.openstack.jcinder.common.config.CinderServiceLauncher;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** {@code cinder-scheduler --config-file /etc/cinder/cinder.conf}. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(SchedulerServiceConfiguration.class)
public class CinderSchedulerApplication {

    public static void main(String[] args) {
        CinderServiceLauncher.main(CinderSchedulerApplication.class, false, args);
    }
}
