package org.openstack.jcinder.api;

import org.openstack.jcinder.common.CommonConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Everything the cinder-api service consists of; imported by its own application and by cinder-all. */
@Configuration(proxyBeanMethods = false)
@Import(CommonConfiguration.class)
@ComponentScan("org.openstack.jcinder.api")
public class ApiServiceConfiguration {
}
