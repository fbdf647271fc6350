package org.openstack.jcinder.compute;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.openstack.jcinder.shared.config.ConfigException;
import org.openstack.jcinder.shared.config.ServiceLauncher;
import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.compute.config.NovaOptions;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.HttpEncodingAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;

/**
 * {@code nova-compute --config-file nova.conf}: the part of Nova a volume migration needs on one compute host —
 * the compute API's servers and volume attachments (with the swap Cinder calls), the compute manager, and a
 * hypervisor driver. Only web auto-configuration is imported, though the service's own classpath holds nothing
 * else (it depends on openstack-common, not cinder-common): in the all-in-one this context runs in the Cinder
 * services' JVM, whose classpath carries JPA, Flyway, H2 and AMQP, and this service has no database or broker.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class,
        TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class, HttpEncodingAutoConfiguration.class,
        HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class,
        // The management listener: endpoints, health with the probes, metrics with the Prometheus registry.
        org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration.class,
                org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration.class,
                org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration.class,
                org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration.class,
                org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration.class,
                org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatServletManagementContextAutoConfiguration.class,
                org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration.class,
                org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration.class,
                org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration.class,
                org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration.class,
                org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration.class,
                org.springframework.boot.webmvc.autoconfigure.actuate.endpoint.web.WebMvcHealthEndpointExtensionAutoConfiguration.class,
                org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration.class,
                org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration.class,
                org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration.class,
                org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration.class,
                org.springframework.boot.micrometer.metrics.autoconfigure.jvm.JvmMetricsAutoConfiguration.class,
                org.springframework.boot.micrometer.metrics.autoconfigure.system.SystemMetricsAutoConfiguration.class,
                org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration.class,
                org.springframework.boot.tomcat.autoconfigure.metrics.TomcatMetricsAutoConfiguration.class})
@ComponentScan("org.openstack.jcinder.compute")
public class NovaComputeApplication {

    public static void main(String[] args) {
        try {
            Path file = ServiceLauncher.configFileArg(args);
            if (file == null) {
                file = Path.of("/etc/nova/nova.conf");
            }
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(file + ": configuration file does not exist (pass --config-file PATH)");
            }
            start(NovaConfig.load(file), ServiceLauncher.springArgs(args));
        } catch (ConfigException e) {
            ServiceLauncher.exitOnConfigError(e);
        }
    }

    /** Starts the compute service with {@code config}; the caller closes the context to stop it. */
    public static ConfigurableApplicationContext start(NovaConfig config, String... springArgs) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("server.address", config.listenAddress());
        p.put("server.port", Integer.toString(config.listenPort()));
        p.put("spring.mvc.problemdetails.enabled", "false");
        p.put("spring.main.banner-mode", "off");
        p.put("spring.application.name", "nova-compute");
        // The operators' listener (metrics, probes) apart from the compute API; cinder-common's SpringSettings
        // does the same for the Cinder services (docs/operations.md).
        p.put("management.server.address", NovaOptions.MANAGEMENT_HOST.get(config.file()));
        p.put("management.server.port", Integer.toString(NovaOptions.MANAGEMENT_PORT.find(config.file())
                .orElse(config.listenPort() == 0 ? 0 : NovaOptions.MANAGEMENT_PORT.defaultValue())));
        p.put("management.endpoints.web.base-path", "/");
        p.put("management.endpoints.web.exposure.include", "health,prometheus");
        p.put("management.endpoints.web.path-mapping.prometheus", "metrics");
        p.put("management.endpoint.health.probes.enabled", "true");
        p.put("management.endpoint.health.show-details", "always");
        p.put("logging.pattern.console", "%d{yyyy-MM-dd HH:mm:ss.SSS} %5p %-40.40logger{39} "
                + "[%X{request_id:--} %X{user_id:--} %X{project_id:--}] %m%n%wEx");
        if ("json".equals(NovaOptions.LOG_FORMAT.get(config.file()))) {
            // Boot's logstash layout: one object a line, every MDC entry (request_id, ...) a field.
            p.put("logging.structured.format.console", "logstash");
        }
        return new SpringApplicationBuilder(NovaComputeApplication.class)
                .properties(p)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("novaConfig", config))
                .run(springArgs);
    }
}
