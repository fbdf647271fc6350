package org.openstack.jcinder.common;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderServiceLauncher;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/** A context with persistence and RPC on real PostgreSQL (a fresh database) and RabbitMQ. */
public abstract class CommonContextTestBase {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(CommonConfiguration.class)
    public static class CommonOnly {
    }

    @TempDir
    protected static Path dir;
    protected static ConfigurableApplicationContext ctx;

    @BeforeAll
    static void start() {
        Path conf = CinderConfFile.onLocalServices(dir, "rpc_response_timeout = 10");
        ctx = CinderServiceLauncher.run(CommonOnly.class, CinderConfig.load(conf), false, new String[0]);
    }

    @AfterAll
    static void stop() {
        if (ctx != null) {
            ctx.close();
        }
    }
}
