package org.openstack.jcinder.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.openstack.jcinder.all.CinderAllApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The all-in-one service started in this JVM with a cinder.conf written for the run: two file backends, an
 * ephemeral HTTP port on 127.0.0.1, and either the embedded broker and H2 database or a fresh PostgreSQL
 * database (and a private RabbitMQ vhost) that are removed again on {@link #close()}.
 */
final class ServiceUnderTest implements AutoCloseable {

    private final BenchOptions options;
    private final Path dataDir;
    private final boolean tempDataDir;
    private final String database;
    private final String vhost;
    private final List<String> notes = new ArrayList<>();
    private ConfigurableApplicationContext context;
    private int port;
    private boolean databaseCreated;
    private boolean vhostCreated;

    ServiceUnderTest(BenchOptions options) throws IOException {
        this.options = options;
        this.tempDataDir = options.dataDir() == null;
        this.dataDir = tempDataDir ? Files.createTempDirectory("jcinder-bench-")
                : Files.createDirectories(options.dataDir()).toAbsolutePath();
        String suffix = Long.toString(ProcessHandle.current().pid()) + "_" + (System.currentTimeMillis() / 1000);
        this.database = options.backend().equals("postgres") ? "jcinder_bench_" + suffix : null;
        this.vhost = options.broker().equals("rabbit") ? "jcinder-bench-" + suffix : null;
    }

    void start() throws Exception {
        StringBuilder conf = new StringBuilder();
        conf.append("[DEFAULT]\n")
                .append("enabled_backends = file-1, file-2\n")
                .append("quota_volumes = -1\nquota_gigabytes = -1\n") // the benchmarks measure lists, not quotas
                .append("osapi_volume_listen = 127.0.0.1\n")
                .append("osapi_volume_listen_port = 0\n")
                .append("report_interval = 2\n");
        if (vhost != null) {
            String vh = createVhost() ? vhost : "";
            conf.append("transport_url = ").append(options.rabbitUrl()).append(vh).append('\n');
        }
        if (database != null) {
            createDatabase();
            conf.append("[database]\n")
                    .append("connection = postgresql://").append(options.pgUser()).append('@')
                    .append(options.pgHostPort()).append('/').append(database).append('\n');
        }
        conf.append("[file-1]\nvolume_driver = file\nvolume_backend_name = file-1\n")
                .append("[file-2]\nvolume_driver = file\nvolume_backend_name = file-2\n");
        Path confFile = dataDir.resolve("cinder.conf");
        Files.writeString(confFile, conf.toString(), StandardCharsets.UTF_8);

        List<String> args = new ArrayList<>(List.of("--data-dir", dataDir.toString(),
                "--config-file", confFile.toString(),
                // Logs go to a file as in a deployment; the console stays free for the results.
                "--logging.file.name=" + dataDir.resolve("cinder.log"),
                "--logging.threshold.console=OFF"));
        if (!options.accessLog()) {
            args.add("--logging.level.org.openstack.jcinder.api.access=WARN");
        }
        args.addAll(options.serviceArgs());
        context = CinderAllApplication.start(args.toArray(String[]::new));
        port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    int port() {
        return port;
    }

    Path dataDir() {
        return dataDir;
    }

    String describe() {
        String db = database != null ? "PostgreSQL database " + database + " on " + options.pgHostPort()
                : "embedded H2 file database (PostgreSQL mode) under the data dir";
        String mq = vhost != null ? "RabbitMQ " + options.rabbitUrl().replaceAll("//[^@]*@", "//")
                + (vhostCreated ? vhost + " (private vhost)" : " (default vhost)")
                : "embedded AMQP broker (Qpid Broker-J)";
        return db + "; " + mq;
    }

    /**
     * PostgreSQL's own counters for the run's database: committed transactions and, per table, index plus
     * sequential scans (one per query that reads the table). Empty for the embedded database.
     */
    Map<String, Long> databaseCounters() {
        Map<String, Long> out = new TreeMap<>();
        if (database == null) {
            return out;
        }
        String url = "jdbc:postgresql://" + options.pgHostPort() + "/" + database;
        try (Connection c = DriverManager.getConnection(url, options.pgUser(), "");
             Statement s = c.createStatement()) {
            // Counters are flushed by each backend at most once a second; see pg_stat_force_next_flush().
            try (ResultSet r = s.executeQuery("select xact_commit, tup_returned, tup_fetched from pg_stat_database "
                    + "where datname = current_database()")) {
                if (r.next()) {
                    out.put("transactions", r.getLong(1));
                    out.put("rows returned", r.getLong(2));
                    out.put("rows fetched", r.getLong(3));
                }
            }
            try (ResultSet r = s.executeQuery("select relname, coalesce(seq_scan, 0) + coalesce(idx_scan, 0) "
                    + "from pg_stat_user_tables")) {
                while (r.next()) {
                    out.put("scans of " + r.getString(1), r.getLong(2));
                }
            }
        } catch (SQLException e) {
            out.put("error: " + e.getMessage(), 0L);
        }
        return out;
    }

    List<String> notes() {
        return notes;
    }

    @Override
    public void close() {
        if (context != null) {
            try {
                context.close();
            } catch (RuntimeException e) {
                notes.add("closing the service: " + e);
            }
        }
        if (databaseCreated) {
            try (Connection c = DriverManager.getConnection(options.pgAdminUrl(), options.pgUser(), "");
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("WARNING: could not drop database " + database + ": " + e.getMessage());
            }
        }
        if (vhostCreated) {
            rabbitmqctl("delete_vhost", vhost);
        }
        if (tempDataDir && !options.keepData()) {
            deleteTree(dataDir);
        } else {
            System.out.println("data directory kept: " + dataDir);
        }
    }

    private void createDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(options.pgAdminUrl(), options.pgUser(), "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
            databaseCreated = true;
        }
    }

    /** A private vhost keeps this run's queues away from any other jcinder using the same broker. */
    private boolean createVhost() {
        if (rabbitmqctl("add_vhost", vhost)
                && rabbitmqctl("set_permissions", "-p", vhost, userOf(options.rabbitUrl()), ".*", ".*", ".*")) {
            vhostCreated = true;
            return true;
        }
        if (rabbitmqctl("list_vhosts")) {
            // The vhost may have been created before set_permissions failed.
            rabbitmqctl("delete_vhost", vhost);
        }
        notes.add("rabbitmqctl unavailable or failed: the run uses the broker's default vhost");
        return false;
    }

    private static String userOf(String rabbitUrl) {
        String rest = rabbitUrl.substring(rabbitUrl.indexOf("://") + 3);
        int at = rest.lastIndexOf('@');
        if (at < 0) {
            return "guest";
        }
        String cred = rest.substring(0, at);
        int colon = cred.indexOf(':');
        return colon >= 0 ? cred.substring(0, colon) : cred;
    }

    private static boolean rabbitmqctl(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("rabbitmqctl");
        cmd.add("-q");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("WARNING: could not delete " + root + ": " + e.getMessage());
        }
    }
}
