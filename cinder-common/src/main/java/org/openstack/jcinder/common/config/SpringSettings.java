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
        // Connections are opened as needed, as oslo.db's pool does, not all 16 at start: an idle service holds
        // two, so a cloud's many volume services (or a node that restarts) do not run PostgreSQL out of its
        // max_connections (100 by default).
        p.put("spring.datasource.hikari.minimum-idle", "2");
        p.put("spring.datasource.hikari.connection-timeout", "5000");
        p.put("spring.jpa.open-in-view", "false");
        p.put("spring.jpa.hibernate.ddl-auto", "none");
        p.put("spring.jpa.properties.hibernate.default_batch_fetch_size", "200");
        p.put("spring.flyway.enabled", "true");

        String managementHost = CinderOptions.MANAGEMENT_HOST.get(config.file());
        java.util.Optional<Integer> managementPort = CinderOptions.MANAGEMENT_PORT.find(config.file());
        if (web) {
            p.put("server.address", config.listenAddress());
            p.put("server.port", Integer.toString(config.listenPort()));
            p.put("server.error.whitelabel.enabled", "false");
            p.put("spring.mvc.problemdetails.enabled", "false");
            // The operators' listener apart from the API's; an API on any free port (tests) gets one too.
            int port = managementPort.orElse(config.listenPort() == 0 ? 0
                    : CinderOptions.MANAGEMENT_PORT.defaultValue());
            p.put("management.server.port", Integer.toString(port));
            p.put("management.server.address", managementHost);
        } else if (managementPort.isPresent()) {
            // A service without an API serves only the management endpoints, on the management port.
            p.put("spring.main.web-application-type", "servlet");
            p.put("server.address", managementHost);
            p.put("server.port", Integer.toString(managementPort.get()));
        } else {
            p.put("spring.main.web-application-type", "none");
        }
        managementEndpoints(p);
        p.put("spring.main.banner-mode", "off");
        // oslo.log's layout: time level logger [request-id user project] message
        p.put("logging.pattern.console", "%d{yyyy-MM-dd HH:mm:ss.SSS} %5p %-40.40logger{39} "
                + "[%X{request_id:--} %X{user_id:--} %X{project_id:--}] %m%n%wEx");
        if ("json".equals(CinderOptions.LOG_FORMAT.get(config.file()))) {
            // Boot's logstash layout: one object a line, every MDC entry (request_id, volume_id, ...) a field.
            p.put("logging.structured.format.console", "logstash");
        }
        return p;
    }

    /**
     * /metrics (Prometheus), /health, /health/liveness and /health/readiness at the root of the management
     * listener; readiness follows the database, the broker and (cinder-volume) each backend.
     */
    public static void managementEndpoints(Map<String, Object> p) {
        p.put("management.endpoints.web.base-path", "/");
        p.put("management.endpoints.web.exposure.include", "health,prometheus");
        p.put("management.endpoints.web.path-mapping.prometheus", "metrics");
        p.put("management.endpoint.health.probes.enabled", "true");
        p.put("management.endpoint.health.show-details", "always");
        p.put("management.endpoint.health.group.liveness.include", "livenessState");
        p.put("management.endpoint.health.group.readiness.include", "readinessState,db,rabbit,backends");
        p.put("management.endpoint.health.group.readiness.show-details", "always");
        // "backends" exists in cinder-volume only.
        p.put("management.endpoint.health.validate-group-membership", "false");
        p.put("management.metrics.distribution.percentiles-histogram.http.server.requests", "true");
    }
}
