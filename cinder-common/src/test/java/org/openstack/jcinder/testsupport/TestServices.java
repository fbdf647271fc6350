package org.openstack.jcinder.testsupport;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * The real PostgreSQL and RabbitMQ the tests talk to. Where a Docker engine answers, Testcontainers starts
 * both; otherwise the services on this machine are used, found through environment variables with loopback
 * defaults:
 * <ul>
 *   <li>{@code CINDER_TEST_PG} — {@code postgresql://user[:password]@host:port} (default
 *       {@code postgresql://postgres@127.0.0.1:5432})</li>
 *   <li>{@code CINDER_TEST_TRANSPORT_URL} — (default {@code rabbit://guest:guest@127.0.0.1:5672/})</li>
 * </ul>
 * A service that is not reachable fails the test with the address tried: never a silent skip.
 * Every caller of {@link #freshDatabase()} gets a database of its own, so test classes do not share rows.
 */
public final class TestServices {

    private static PostgreSQLContainer postgres;
    private static RabbitMQContainer rabbit;

    private TestServices() {
    }

    private static synchronized boolean useContainers() {
        if (System.getenv("CINDER_TEST_PG") != null || System.getenv("CINDER_TEST_TRANSPORT_URL") != null) {
            return false;
        }
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | Error e) {
            docker = false;
        }
        if (docker && postgres == null) {
            postgres = new PostgreSQLContainer("postgres:15-alpine");
            postgres.start();
            rabbit = new RabbitMQContainer("rabbitmq:3.13-alpine");
            rabbit.start();
        }
        return docker;
    }

    /** {@code postgresql://user[:pass]@host:port} of the server (no database part). */
    public static String postgresServer() {
        if (useContainers()) {
            return "postgresql://" + postgres.getUsername() + ":" + postgres.getPassword() + "@"
                    + postgres.getHost() + ":" + postgres.getMappedPort(5432);
        }
        String url = System.getenv().getOrDefault("CINDER_TEST_PG", "postgresql://postgres@127.0.0.1:5432");
        requireReachable("PostgreSQL", url);
        return url;
    }

    public static String transportUrl() {
        if (useContainers()) {
            return "rabbit://" + rabbit.getAdminUsername() + ":" + rabbit.getAdminPassword() + "@"
                    + rabbit.getHost() + ":" + rabbit.getAmqpPort() + "/";
        }
        String url = System.getenv().getOrDefault("CINDER_TEST_TRANSPORT_URL", "rabbit://guest:guest@127.0.0.1:5672/");
        requireReachable("RabbitMQ", url);
        return isolatedVhost(url);
    }

    private static String privateVhost;

    /**
     * Services of two test runs on one broker would consume each other's messages from the shared
     * {@code cinder-scheduler} queue (as two Cinder deployments in one vhost would). On a local RabbitMQ with
     * {@code rabbitmqctl}, every test JVM gets a vhost of its own, deleted when the JVM exits.
     */
    private static synchronized String isolatedVhost(String url) {
        if (privateVhost == null) {
            privateVhost = newVhost(url).map(v -> {
                Runtime.getRuntime().addShutdownHook(new Thread(v.delete()));
                return v.name();
            }).orElse(null);
        }
        return privateVhost == null ? url : onVhost(url, privateVhost);
    }

    /** A vhost of the local broker, and how to delete it. */
    public record Vhost(String name, String transportUrl, Runnable delete) {
    }

    /**
     * A vhost of its own, not the JVM's, for services that stay up while later test classes start others in this
     * JVM on {@link #transportUrl()} (they would share the {@code cinder-scheduler} queue); the caller deletes it
     * once its services are stopped. Empty where no vhost can be made (no local {@code rabbitmqctl}, containers,
     * {@code CINDER_TEST_RABBIT_VHOST=0}).
     */
    public static java.util.Optional<Vhost> vhostOfItsOwn() {
        if (useContainers()) {
            return java.util.Optional.empty();
        }
        String url = System.getenv().getOrDefault("CINDER_TEST_TRANSPORT_URL", "rabbit://guest:guest@127.0.0.1:5672/");
        requireReachable("RabbitMQ", url);
        return newVhost(url);
    }

    private static java.util.Optional<Vhost> newVhost(String url) {
        boolean local = url.contains("@127.0.0.1:") || url.contains("@localhost:");
        java.nio.file.Path ctl = java.nio.file.Path.of("/usr/sbin/rabbitmqctl");
        if (!local || !java.nio.file.Files.isExecutable(ctl) || "0".equals(System.getenv("CINDER_TEST_RABBIT_VHOST"))) {
            return java.util.Optional.empty();
        }
        String vhost = "jcinder-test-" + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID().toString().substring(0, 6);
        String user = URI.create(url.replace("rabbit://", "http://")).getUserInfo().split(":")[0];
        if (!rabbitmqctl(ctl, "add_vhost", vhost) || !rabbitmqctl(ctl, "set_permissions", "-p", vhost, user, ".*",
                ".*", ".*")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Vhost(vhost, onVhost(url, vhost), () -> rabbitmqctl(ctl, "delete_vhost",
                vhost)));
    }

    private static String onVhost(String url, String vhost) {
        return url.substring(0, url.indexOf('/', "rabbit://".length())) + "/" + vhost;
    }

    private static boolean rabbitmqctl(java.nio.file.Path ctl, String... args) {
        try {
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(ctl.toString(), "-q"));
            cmd.addAll(java.util.List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** Creates an empty database and returns its cinder.conf connection URL. */
    public static String freshDatabase() {
        String server = postgresServer();
        String name = "cinder_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        URI uri = URI.create(server.replace("postgresql://", "http://"));
        String user = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo().split(":")[0];
        String password = uri.getUserInfo() != null && uri.getUserInfo().contains(":")
                ? uri.getUserInfo().split(":", 2)[1] : null;
        String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + "/postgres";
        try (Connection c = DriverManager.getConnection(jdbc, user, password);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create a test database on " + jdbc + " as " + user + ": "
                    + e.getMessage(), e);
        }
        return server + "/" + name;
    }

    private static void requireReachable(String what, String url) {
        URI uri = URI.create(url.replaceFirst("^[a-z+]+://", "http://"));
        int port = uri.getPort() > 0 ? uri.getPort() : (what.equals("RabbitMQ") ? 5672 : 5432);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), port), 3000);
        } catch (Exception e) {
            throw new IllegalStateException(what + " is required by this test and is not reachable at "
                    + uri.getHost() + ":" + port + " (" + e.getMessage() + "). Start it (see README, "
                    + "'Running the tests') or point the CINDER_TEST_* variables at one.");
        }
    }
}
