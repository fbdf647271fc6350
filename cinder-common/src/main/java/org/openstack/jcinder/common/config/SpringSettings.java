package org.openstack.jcinder.common.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns cinder.conf into the Spring Boot properties of the broker connection, the data source and the HTTP
 * listener, so Boot's own auto-configuration builds those beans (and test tooling that replaces them keeps
 * working).
 */
public final class SpringSettings {

    private SpringSettings() {
    }

    public static Map<String, Object> from(CinderConfig config, boolean web) {
        Map<String, Object> p = new LinkedHashMap<>();
        String source = config.source().toString();

        ConnectionUrls.Transport t = ConnectionUrls.transport(config.requireTransportUrl(), source);
        p.put("spring.rabbitmq.addresses", t.addresses());
        p.put("spring.rabbitmq.username", t.username());
        p.put("spring.rabbitmq.password", t.password());
        p.put("spring.rabbitmq.virtual-host", t.virtualHost());
        p.put("spring.rabbitmq.publisher-confirm-type", "simple");
        p.put("spring.rabbitmq.connection-timeout", "5s");
        p.put("spring.rabbitmq.template.reply-timeout", config.rpcResponseTimeout().toMillis() + "ms");
        p.put("spring.rabbitmq.listener.simple.missing-queues-fatal", "false");

        ConnectionUrls.Jdbc db = ConnectionUrls.database(config.requireDatabaseConnection(), source);
        p.put("spring.datasource.url", db.url());
        if (db.username() != null) {
            p.put("spring.datasource.username", db.username());
        }
        if (db.password() != null) {
            p.put("spring.datasource.password", db.password());
        }
        p.put("spring.datasource.hikari.maximum-pool-size", "16");
        p.put("spring.datasource.hikari.connection-timeout", "5000");
        p.put("spring.jpa.open-in-view", "false");
        p.put("spring.jpa.hibernate.ddl-auto", "none");
        p.put("spring.jpa.properties.hibernate.default_batch_fetch_size", "200");
        p.put("spring.flyway.enabled", "true");

        if (web) {
            p.put("server.address", config.listenAddress());
            p.put("server.port", Integer.toString(config.listenPort()));
            p.put("server.error.whitelabel.enabled", "false");
            p.put("spring.mvc.problemdetails.enabled", "false");
        } else {
            p.put("spring.main.web-application-type", "none");
        }
        p.put("spring.main.banner-mode", "off");
        // oslo.log's layout: time level logger [request-id user project] message
        p.put("logging.pattern.console", "%d{yyyy-MM-dd HH:mm:ss.SSS} %5p %-40.40logger{39} "
                + "[%X{request_id:--} %X{user_id:--} %X{project_id:--}] %m%n%wEx");
        return p;
    }
}
