package org.openstack.jcinder.common;

import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/** Persistence, RPC and the service registry: what every Cinder service builds on. */
@Configuration(proxyBeanMethods = false)
@ComponentScan(basePackages = {"org.openstack.jcinder.common.rpc", "org.openstack.jcinder.common.service",
        "org.openstack.jcinder.common.message", "org.openstack.jcinder.common.quota",
        "org.openstack.jcinder.common.group"})
@EntityScan("org.openstack.jcinder.common.db")
@EnableJpaRepositories("org.openstack.jcinder.common.db")
public class CommonConfiguration {
}
