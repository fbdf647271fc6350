package org.openstack.jcinder.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.Port;
import org.apache.qpid.server.model.State;
import org.apache.qpid.server.model.SystemConfig;
import org.apache.qpid.server.model.port.AmqpPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AMQP 0-9-1 broker (Apache Qpid Broker-J) running inside the current JVM, so that the
 * all-in-one service needs no external RabbitMQ.
 *
 * <p>The broker listens on 127.0.0.1 only, keeps everything in memory (nothing survives
 * {@link #close()}), has a single virtual host {@value #VIRTUAL_HOST} that is also the
 * default one (so RabbitMQ clients asking for vhost {@code "/"} land on it) and one user
 * {@value #USERNAME}/{@value #PASSWORD} authenticated with SASL PLAIN. Its initial
 * configuration is generated at start-up into {@code workDir}; nothing is written anywhere
 * else.
 *
 * <pre>{@code
 * try (EmbeddedAmqpBroker broker = EmbeddedAmqpBroker.start(0, workDir)) {
 *     String url = broker.transportUrl();   // rabbit://guest:guest@127.0.0.1:PORT/
 * }
 * }</pre>
 *
 * <p>Broker-J logs through SLF4J only: its logback plugin is not on the class path and no broker
 * loggers are declared, so it never configures or replaces the application's logging. Its
 * operational log (logger names {@code qpid.message.*}) is sent at DEBUG instead of INFO; its
 * internals ({@code org.apache.qpid.*}) log a couple of INFO lines per start, so applications
 * may set {@code org.apache.qpid} to WARN.
 */
public final class EmbeddedAmqpBroker implements AutoCloseable {

    /** The only user; also the password is {@value #PASSWORD}. */
    public static final String USERNAME = "guest";
    public static final String PASSWORD = "guest";
    /** Name of the (only and default) virtual host; clients may also use "/" or "". */
    public static final String VIRTUAL_HOST = "default";
    /** The only address the broker listens on. */
    public static final String HOST = "127.0.0.1";

    static final long COMPACT_MEMORY_INTERVAL_MILLIS = 200;
    static final int DIRECT_BUFFER_POOL_SIZE = 128;

    static final String INITIAL_CONFIG_FILE = "broker-initial-config.json";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedAmqpBroker.class);

    private final SystemLauncher launcher;
    private final int port;
    private final Path workDir;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedAmqpBroker(SystemLauncher launcher, int port, Path workDir) {
        this.launcher = launcher;
        this.port = port;
        this.workDir = workDir;
    }

    /**
     * Starts a broker and returns once it accepts connections.
     *
     * @param port    TCP port to listen on (on 127.0.0.1); 0 picks a free one, see {@link #port()}
     * @param workDir directory for the broker's generated configuration; created if missing
     * @throws IllegalStateException if the broker could not start (e.g. the port is in use)
     */
    public static EmbeddedAmqpBroker start(int port, Path workDir) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        long startNanos = System.nanoTime();
        Path dir = workDir.toAbsolutePath().normalize();
        Path initialConfig = dir.resolve(INITIAL_CONFIG_FILE);
        try {
            Files.createDirectories(dir);
            Files.writeString(initialConfig, initialConfigJson(port), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write broker configuration into " + dir, e);
        }

        AtomicReference<SystemConfig<?>> systemConfig = new AtomicReference<>();
        AtomicReference<RuntimeException> startupError = new AtomicReference<>();
        SystemLauncher launcher = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
            @Override
            public void onContainerResolve(SystemConfig<?> config) {
                systemConfig.set(config);
                // before the Broker opens: its operational log goes to DEBUG, not INFO
                config.getEventLogger().setMessageLogger(new DebugLevelMessageLogger());
            }

            @Override
            public void errorOnStartup(RuntimeException e) {
                startupError.set(e);
            }
        });

        Map<String, Object> context = new HashMap<>();
        context.put("qpid.work_dir", dir.toString());
        context.put("QPID_WORK", dir.toString());
        context.put("qpid.amqp_port", Integer.toString(port));
        // The direct-memory compaction check re-schedules itself every 1000 ms by default and
        // Broker-J's shutdown waits for the pending run: 1 s per close(). A shorter interval
        // keeps the check and makes close() fast.
        context.put("qpid.compact_memory_interval", Long.toString(COMPACT_MEMORY_INTERVAL_MILLIS));
        // Broker-J rejects RabbitMQ-specific queue.declare arguments (x-message-ttl, x-expires,
        // x-max-length, x-dead-letter-exchange, ...) by closing the whole connection with 542.
        // LOG: drop the unsupported arguments with a WARN naming them and declare the queue.
        context.put("queue.behaviourOnUnknownDeclareArgument", "LOG");
        context.put("exchange.behaviourOnUnknownDeclareArgument", "LOG");
        // Broker-J keeps up to 1024 released 256 KiB network buffers (256 MiB of direct memory)
        // in a JVM-wide pool; an embedded broker sharing the JVM keeps at most 32 MiB.
        context.put("broker.directByteBufferPoolSize", Integer.toString(DIRECT_BUFFER_POOL_SIZE));
        // Defaults start ~80 threads (64 virtual host connection threads + 8 selectors, 8 port
        // threads); a handful is plenty for one service's own connections.
        context.put("virtualhost.connectionThreadPool.size", "8");
        context.put("virtualhost.connectionThreadPool.numberOfSelectors", "1");
        context.put("qpid.port.amqp.threadPool.size", "4");
        context.put("qpid.port.amqp.threadPool.numberOfSelectors", "1");

        Map<String, Object> attributes = new HashMap<>();
        attributes.put(SystemConfig.TYPE, "Memory");
        attributes.put(SystemConfig.INITIAL_CONFIGURATION_LOCATION, initialConfig.toUri().toString());
        // Broker-J's default is a classpath: URL, whose handler the JDK cannot load from inside a Spring Boot
        // fat jar (nested class loader); an explicit file keeps start-up independent of how we are packaged.
        attributes.put(SystemConfig.INITIAL_SYSTEM_PROPERTIES_LOCATION, emptySystemProperties(dir).toUri().toString());
        attributes.put(SystemConfig.STARTUP_LOGGED_TO_SYSTEM_OUT, Boolean.FALSE);
        attributes.put(SystemConfig.CONTEXT, context);

        try {
            launcher.startup(attributes);
        } catch (Exception e) {
            shutdownQuietly(launcher);
            throw new IllegalStateException("embedded AMQP broker failed to start on port " + port, e);
        }
        if (startupError.get() != null) {
            shutdownQuietly(launcher);
            throw new IllegalStateException("embedded AMQP broker failed to start on port " + port,
                    startupError.get());
        }

        int boundPort;
        try {
            boundPort = boundAmqpPort(systemConfig.get());
        } catch (RuntimeException e) {
            shutdownQuietly(launcher);
            throw e;
        }
        LOG.info("Embedded AMQP broker listening on {}:{} (started in {} ms)", HOST, boundPort,
                (System.nanoTime() - startNanos) / 1_000_000);
        return new EmbeddedAmqpBroker(launcher, boundPort, dir);
    }

    /** The TCP port the broker listens on (the real one when started with port 0). */
    public int port() {
        return port;
    }

    /** The directory holding the broker's generated configuration. */
    public Path workDir() {
        return workDir;
    }

    /** An oslo.messaging-style transport URL, e.g. {@code rabbit://guest:guest@127.0.0.1:5672/}. */
    public String transportUrl() {
        return "rabbit://" + USERNAME + ":" + PASSWORD + "@" + HOST + ":" + port + "/";
    }

    /** Stops the broker, closing client connections and releasing the port. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            launcher.shutdown();
            LOG.info("Embedded AMQP broker on port {} stopped", port);
        }
    }

    private static int boundAmqpPort(SystemConfig<?> config) {
        if (config == null) {
            throw new IllegalStateException("embedded AMQP broker did not start (no configuration resolved)");
        }
        Broker<?> broker = (Broker<?>) config.getContainer(Broker.class);
        if (broker == null || broker.getState() != State.ACTIVE) {
            throw new IllegalStateException("embedded AMQP broker is not active: "
                    + (broker == null ? "no broker" : broker.getState()));
        }
        for (Port<?> p : broker.getPorts()) {
            if (p instanceof AmqpPort<?> amqp) {
                if (amqp.getState() != State.ACTIVE) {
                    throw new IllegalStateException("embedded AMQP broker port " + amqp.getPort()
                            + " is " + amqp.getState() + " (already in use?)");
                }
                int bound = amqp.getBoundPort();
                return bound > 0 ? bound : amqp.getPort();
            }
        }
        throw new IllegalStateException("embedded AMQP broker has no AMQP port");
    }

    private static void shutdownQuietly(SystemLauncher launcher) {
        try {
            launcher.shutdown();
        } catch (RuntimeException e) {
            LOG.debug("error while shutting down a broker that failed to start", e);
        }
    }

    /**
     * Broker-J initial configuration: one PLAIN user guest/guest, one AMQP port on loopback
     * whose virtual host aliases map "/" (and "" or "default") to the in-memory virtual host
     * "default", and no broker loggers (so Broker-J never touches the application's logging).
     */
    static String initialConfigJson(int port) {
        return """
                {
                  "name" : "jcinder-embedded",
                  "modelVersion" : "9.1",
                  "authenticationproviders" : [ {
                    "name" : "plain",
                    "type" : "Plain",
                    "secureOnlyMechanisms" : [ ],
                    "users" : [ {
                      "name" : "%s",
                      "type" : "managed",
                      "password" : "%s"
                    } ]
                  } ],
                  "ports" : [ {
                    "name" : "AMQP",
                    "type" : "AMQP",
                    "port" : %d,
                    "bindingAddress" : "%s",
                    "authenticationProvider" : "plain",
                    "virtualhostaliases" : [ {
                      "name" : "nameAlias",
                      "type" : "nameAlias"
                    }, {
                      "name" : "defaultAlias",
                      "type" : "defaultAlias"
                    } ]
                  } ],
                  "virtualhostnodes" : [ {
                    "name" : "%s",
                    "type" : "Memory",
                    "defaultVirtualHostNode" : "true",
                    "virtualHostInitialConfiguration" : "{ \\"type\\" : \\"Memory\\" }"
                  } ]
                }
                """.formatted(USERNAME, PASSWORD, port, HOST, VIRTUAL_HOST);
    }

    private static Path emptySystemProperties(Path dir) {
        Path file = dir.resolve("broker-system.properties");
        try {
            java.nio.file.Files.writeString(file, "# no extra system properties for the embedded broker\n");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }
}
