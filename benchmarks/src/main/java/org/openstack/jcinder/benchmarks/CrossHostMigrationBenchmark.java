package org.openstack.jcinder.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openstack.jcinder.api.CinderApiApplication;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderServiceLauncher;
import org.openstack.jcinder.scheduler.CinderSchedulerApplication;
import org.openstack.jcinder.testsupport.NamespaceNetwork;
import org.openstack.jcinder.testsupport.NodeProcess;
import org.openstack.jcinder.testsupport.Tgtd;
import org.openstack.jcinder.volume.CinderVolumeApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Issue 14's cross-host copy rate: a generic migration between two storage nodes through the API, against
 * {@code qemu-img convert} between the same two iSCSI targets.
 * <p>
 * Set-up (the cross-host tests' infrastructure, {@code docs/multi-host.md}): nodes A and B in network namespaces
 * on a private bridge, each with its own tgtd ({@code Tgtd}) and its own cinder-volume JVM ({@code NodeProcess},
 * a file backend with {@code target_helper = tgtadm}); the API and the scheduler in this JVM; a fresh PostgreSQL
 * database and a private RabbitMQ vhost on this machine, reached from the namespaces through relays on the
 * bridge. A reports more capacity, so new volumes land on A.
 * <p>
 * Each repetition: a volume of {@code --gib} GiB on A filled with random data (no zero block to skip);
 * <ol>
 *   <li>reference: A's volume file exported by A's tgtd, a fresh sparse file of the same size exported by B's
 *       tgtd (the size of the migration's temporary volume), {@code qemu-img convert -n -W --target-is-zero}
 *       (the engine's flags for a thin destination) from the one target to the other, run in A's namespace
 *       (where the migration's copy runs), checked byte for byte;</li>
 *   <li>the same from A's volume file read locally to B's LUN (the path the migration's copy takes), to
 *       separate what the path costs from what the orchestration costs;</li>
 *   <li>the migration: {@code os-migrate_volume} to B with {@code force_host_copy} (generic path), timed from
 *       the request until the {@code finished_at} of its record in the API (see {@link AdminApi}), so the
 *       orchestration
 *       (RPC to B, B's create and export, the completion and {@code _name_id} swap) is included; the moved
 *       volume is compared byte for byte with its source.</li>
 * </ol>
 * Page cache dropped before each copy. Needs root (namespaces, tgtd), {@code tgt}, {@code qemu-utils},
 * {@code qemu-block-extra}, PostgreSQL and RabbitMQ ({@code CINDER_TEST_PG}, {@code CINDER_TEST_TRANSPORT_URL},
 * loopback defaults).
 *
 * <p>Run: {@code benchmarks/run-cross-host.sh [--no-build] [--runs 3] [--gib 1] [--dir DIR]}.
 */
public final class CrossHostMigrationBenchmark {

    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;
    private static final List<Path> TOOLS = List.of(Path.of("/usr/sbin/tgtd"), Path.of("/usr/sbin/tgtadm"),
            Path.of("/usr/sbin/tgt-admin"), Path.of("/usr/bin/qemu-img"),
            Path.of("/usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so"));
    /** A tid the services' tgt-admin never reaches in one run (they number from 1). */
    private static final String REFERENCE_TID = "1000";

    /**
     * Seconds: qemu-img iSCSI -> iSCSI, qemu-img from A's local file -> B's LUN, the migration through the API,
     * and its copy phase as node A logged it ("copied 1 GiB in X s").
     */
    record Row(int run, double reference, double localReference, double migration, double copyPhase,
               String migrationFlags) {
    }

    /** The references' flags: the engine's for a thin destination (file backends are), so only the path differs. */
    private static final List<String> FLAGS = List.of("-n", "-W", "--target-is-zero");

    /** The console as the JVM started: the services' logging set-up must not swallow the harness's output. */
    private static final java.io.PrintStream OUT = System.out;
    private static final java.io.PrintStream ERR = System.err;

    public static void main(String[] args) throws Exception {
        int runs = 3;
        int gib = 1;
        Path dir = Path.of("/var/tmp/jcinder-cross-host-bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--gib" -> gib = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "\nusage: CrossHostMigrationBenchmark [--runs N] [--gib N] [--dir DIR]");
            }
        }
        List<String> missing = new ArrayList<>(TOOLS.stream().filter(p -> !Files.exists(p)).map(Path::toString)
                .toList());
        if (!"root".equals(System.getProperty("user.name"))) {
            missing.add(0, "root (network namespaces, tgtd)");
        }
        if (!missing.isEmpty()) {
            ERR.println("CrossHostMigrationBenchmark needs " + missing
                    + " (Debian: apt-get install tgt qemu-utils qemu-block-extra)");
            System.exit(2);
        }
        Files.createDirectories(dir);
        long bytes = gib * GIB;
        Path prepared = CopyBenchmark.random(dir.resolve("random-" + gib + "g"), bytes);
        new CrossHostMigrationBenchmark(dir, gib, bytes, prepared).run(runs);
    }

    private final Path dir;
    private final int gib;
    private final long bytes;
    private final Path prepared;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> engineArgv = new ArrayList<>();
    private final List<String> referenceArgv = new ArrayList<>();
    private final List<String> localReferenceArgv = new ArrayList<>();

    private CrossHostMigrationBenchmark(Path dir, int gib, long bytes, Path prepared) {
        this.dir = dir;
        this.gib = gib;
        this.bytes = bytes;
        this.prepared = prepared;
    }

    private void run(int runs) throws Exception {
        Path work = Files.createTempDirectory(dir, "run-");
        String pgServer = System.getenv().getOrDefault("CINDER_TEST_PG", "postgresql://postgres@127.0.0.1:5432");
        String rabbit = System.getenv().getOrDefault("CINDER_TEST_TRANSPORT_URL",
                "rabbit://guest:guest@127.0.0.1:5672/");
        String database = "jcinder_xbench_" + run;
        String vhost = "jcinder-xbench-" + run;
        List<Row> rows = new ArrayList<>();
        List<AutoCloseable> open = new ArrayList<>();
        List<ConfigurableApplicationContext> contexts = new ArrayList<>();
        boolean databaseCreated = false;
        boolean vhostCreated = false;
        boolean failed = false;
        NodeProcess nodeA = null;
        try {
            sql(pgServer, "CREATE DATABASE " + database);
            databaseCreated = true;
            vhostCreated = rabbitmqctl("add_vhost", vhost) && rabbitmqctl("set_permissions", "-p", vhost,
                    URI.create(rabbit.replace("rabbit://", "http://")).getUserInfo().split(":")[0], ".*", ".*", ".*");
            String transport = rabbit.substring(0, rabbit.indexOf('/', "rabbit://".length()) + 1)
                    + (vhostCreated ? vhost : "");
            String connection = pgServer + "/" + database;

            NamespaceNetwork net = NamespaceNetwork.create("a", "b");
            open.add(net);
            net.relay(URI.create(connection.replace("postgresql://", "http://")).getPort());
            net.relay(URI.create(transport.replace("rabbit://", "http://")).getPort());
            Tgtd tgtdA = Tgtd.start(net.node("a").netns(), net.node("a").address(), 3260);
            open.add(0, tgtdA);
            Tgtd tgtdB = Tgtd.start(net.node("b").netns(), net.node("b").address(), 3260);
            open.add(0, tgtdB);

            String common = "report_interval = 1\nservice_down_time = 20\nrpc_response_timeout = 120\n"
                    + "osapi_volume_listen_port = 0\nquota_volumes = -1\nquota_gigabytes = -1\n";
            String viaBridge = "transport_url = " + transport.replace("127.0.0.1", net.bridgeAddress()) + "\n"
                    + common + "[database]\nconnection = " + connection.replace("127.0.0.1", net.bridgeAddress())
                    + "\n";
            nodeA = startNode(net, "a", tgtdA, viaBridge, work, 1000);
            open.add(0, nodeA);
            NodeProcess nodeB = startNode(net, "b", tgtdB, viaBridge, work, 500);
            open.add(0, nodeB);

            String local = "transport_url = " + transport + "\n" + common + "[database]\nconnection = " + connection
                    + "\n";
            contexts.add(start(work, CinderSchedulerApplication.class, "scheduler.conf",
                    "[DEFAULT]\nhost = sched-" + run + "\n" + local, false));
            ConfigurableApplicationContext api = start(work, CinderApiApplication.class, "api.conf",
                    "[DEFAULT]\nhost = api-" + run + "\n" + local, true);
            contexts.add(api);
            String base = "http://127.0.0.1:" + ((WebServerApplicationContext) api).getWebServer().getPort()
                    + "/v3/admin";
            awaitPools(base);

            for (int r = 1; r <= runs; r++) {
                String id = AdminApi.call("POST", base + "/volumes", "{\"volume\": {\"size\": " + gib + "}}")
                        .get("volume").get("id").asString();
                String host = AdminApi.await(base + "/volumes/" + id, "available").get("os-vol-host-attr:host")
                        .asString();
                if (!host.startsWith("node-a-")) {
                    throw new IllegalStateException("volume " + id + " was placed on " + host + ", not node A");
                }
                Path source = work.resolve("a").resolve("volume-" + id);
                Commands.run("cp", "--sparse=never", "--reflink=never", prepared.toString(), source.toString());
                Commands.run("sync");

                double reference = reference(net, tgtdA, tgtdB, source, work, r, true);
                double localReference = reference(net, tgtdA, tgtdB, source, work, r, false);

                CopyBenchmark.dropCaches();
                java.time.Instant t0 = java.time.Instant.now();
                AdminApi.call("POST", base + "/volumes/" + id + "/action", "{\"os-migrate_volume\": {\"host\": \""
                        + "node-b-" + run + "@b#b\", \"force_host_copy\": true}}");
                double migration = AdminApi.awaitMigration(base + "/volumes/" + id, t0, 3600);
                JsonNode v = AdminApi.call("GET", base + "/volumes/" + id, null).get("volume");
                String nameId = v.get("os-vol-mig-status-attr:name_id").isNull() ? id
                        : v.get("os-vol-mig-status-attr:name_id").asString();
                Path moved = work.resolve("b").resolve("volume-" + nameId);
                if (!v.get("os-vol-host-attr:host").asString().startsWith("node-b-")
                        || Files.mismatch(prepared, moved) != -1) {
                    throw new IllegalStateException("the migrated volume " + id + " is not on B or differs from "
                            + "its source");
                }
                String flags = migrationFlags(nodeA, id);
                double copyPhase = copyPhase(nodeA, id);
                rows.add(new Row(r, reference, localReference, migration, copyPhase, flags));
                OUT.printf(Locale.ROOT, "run %d: qemu-img iSCSI -> iSCSI %.2f s (%.1f MiB/s); qemu-img file -> iSCSI "
                        + "%.2f s (%.1f MiB/s); migration A -> B via API %.2f s (%.1f MiB/s; copy phase %.1f s; %s); "
                        + "ratio %.2f%n", r, reference, bytes / MIB / reference, localReference,
                        bytes / MIB / localReference, migration, bytes / MIB / migration, copyPhase, flags,
                        reference / migration);
                AdminApi.call("DELETE", base + "/volumes/" + id, null);
            }
        } catch (Exception | Error e) {
            failed = true;
            e.printStackTrace(ERR);
            if (nodeA != null) {
                ERR.println("--- node A's log (tail):\n" + nodeA.logTail(4000));
            }
            ERR.println("logs kept in " + work);
            throw e;
        } finally {
            for (int i = contexts.size() - 1; i >= 0; i--) {
                contexts.get(i).close();
            }
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    ERR.println("WARNING: closing " + c + ": " + e);
                }
            }
            if (databaseCreated) {
                sql(pgServer, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            if (vhostCreated) {
                rabbitmqctl("delete_vhost", vhost);
            }
            if (!failed) {
                Commands.run("rm", "-rf", work.toString());
            }
        }
        print(rows);
    }

    /**
     * {@code qemu-img convert} from A's volume (exported by A's tgtd) to a fresh sparse LUN of the same size
     * (exported by B's tgtd), in A's namespace; seconds. The LUNs are set up with tgtadm on the nodes' own
     * control ports, without CHAP (a login cost, not a per-byte one), and removed again.
     */
    private double reference(NamespaceNetwork net, Tgtd a, Tgtd b, Path source, Path work, int r, boolean iscsiSource)
            throws Exception {
        Path scratch = work.resolve("b").resolve("reference-" + r);
        Files.deleteIfExists(scratch);
        try (var f = new java.io.RandomAccessFile(scratch.toFile(), "rw")) {
            f.setLength(bytes);
        }
        // Outside the volume services' target_prefix: their reconciler removes any target under it that no
        // volume of theirs owns (stale exports), which would pull the reference's LUNs from under qemu-img.
        String iqnA = "iqn.2010-10.org.jcinder-benchmark:src-" + run + "-" + r;
        String iqnB = "iqn.2010-10.org.jcinder-benchmark:dst-" + run + "-" + r;
        export(a, iqnA, source);
        try {
            export(b, iqnB, scratch);
            try {
                List<String> argv = new ArrayList<>(List.of("qemu-img", "convert"));
                argv.addAll(FLAGS);
                argv.addAll(List.of("--image-opts", "--target-image-opts", iscsiSource ? imageOpts(a, iqnA)
                        : "driver=raw,file.driver=file,file.filename=" + source, imageOpts(b, iqnB)));
                List<String> shown = iscsiSource ? referenceArgv : localReferenceArgv;
                shown.clear();
                shown.addAll(argv);
                CopyBenchmark.dropCaches();
                long t0 = System.nanoTime();
                Process p = net.inNode("a", argv).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() != 0) {
                    throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (Files.mismatch(prepared, scratch) != -1) {
                    throw new IllegalStateException("the reference copy differs from its source");
                }
                return seconds;
            } finally {
                unexport(b);
            }
        } finally {
            unexport(a);
            Files.deleteIfExists(scratch);
        }
    }

    private static String imageOpts(Tgtd t, String iqn) {
        return "driver=raw,file.driver=iscsi,file.transport=tcp,file.portal=" + t.address() + ":" + t.port()
                + ",file.target=" + iqn + ",file.lun=1";
    }

    private static void export(Tgtd t, String iqn, Path file) throws Exception {
        String c = Integer.toString(t.controlPort());
        Commands.run("tgtadm", "-C", c, "--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", REFERENCE_TID, "-T", iqn);
        Commands.run("tgtadm", "-C", c, "--lld", "iscsi", "--op", "new", "--mode", "logicalunit", "--tid", REFERENCE_TID,
                "--lun", "1", "-b", file.toString());
        Commands.run("tgtadm", "-C", c, "--lld", "iscsi", "--op", "bind", "--mode", "target", "--tid", REFERENCE_TID, "-I",
                "ALL");
    }

    private static void unexport(Tgtd t) throws Exception {
        Commands.run("tgtadm", "-C", Integer.toString(t.controlPort()), "--lld", "iscsi", "--op", "delete", "--mode", "target",
                "--tid", REFERENCE_TID, "--force");
    }

    /** The copy flags the migration used, from node A's log line ({@code sparse=…} decides them). */
    private String migrationFlags(NodeProcess nodeA, String id) {
        Matcher m = Pattern.compile("Migration of volume " + id + ": copying .*\\(sparse=(true|false), over iSCSI")
                .matcher(nodeA.logTail(2_000_000));
        if (!m.find()) {
            throw new IllegalStateException("node A did not log an iSCSI copy for " + id);
        }
        boolean sparse = m.group(1).equals("true");
        engineArgv.clear();
        engineArgv.addAll(List.of("qemu-img", "convert", "-p", "-n", "-W"));
        engineArgv.addAll(sparse ? List.of("--target-is-zero") : List.of("-S", "0"));
        engineArgv.addAll(List.of("--object", "secret,id=dst,file=…", "--image-opts", "--target-image-opts",
                "driver=raw,size=…,file.driver=file,file.filename=<A's volume file>",
                "driver=raw,size=…,file.driver=iscsi,…,file.user=…,file.password-secret=dst"));
        return sparse ? "-n -W --target-is-zero" : "-n -W -S 0";
    }

    /** The copy phase of the migration in seconds, from node A's "copied … in X s" line. */
    private static double copyPhase(NodeProcess nodeA, String id) {
        Matcher m = Pattern.compile("Migration of volume " + id + ": copied \\S+ GiB in ([0-9.]+) s")
                .matcher(nodeA.logTail(2_000_000));
        if (!m.find()) {
            throw new IllegalStateException("node A did not log the end of the copy of " + id);
        }
        return Double.parseDouble(m.group(1));
    }

    private NodeProcess startNode(NamespaceNetwork net, String node, Tgtd tgtd, String viaBridge, Path work,
                                  int capacityGb) throws Exception {
        String conf = "[DEFAULT]\nhost = node-" + node + "-" + run + "\nenabled_backends = " + node + "\n" + viaBridge
                + "[" + node + "]\nvolume_driver = file\nfile_volume_dir = " + work.resolve(node)
                + "\nfile_volume_capacity_gb = " + capacityGb + "\ntarget_helper = tgtadm\ntarget_ip_address = "
                + net.node(node).address() + "\ntarget_port = 3260\ntgt_control_port = " + tgtd.controlPort()
                + "\nvolumes_dir = " + work.resolve(node + "-exports") + "\n";
        Path file = work.resolve("volume-" + node + ".conf");
        Files.writeString(file, conf);
        return NodeProcess.start(net, node, CinderVolumeApplication.class, file, work.resolve("node-" + node + ".log"));
    }

    private static ConfigurableApplicationContext start(Path work, Class<?> app, String file, String conf,
                                                        boolean web) throws IOException {
        Path path = work.resolve(file);
        Files.writeString(path, conf);
        // Logs to a file; the console stays free for the figures.
        return CinderServiceLauncher.run(app, CinderConfig.load(path), web, new String[] {
                "--logging.file.name=" + work.resolve(file.replace(".conf", ".log")),
                "--logging.threshold.console=OFF"});
    }

    private void print(List<Row> rows) {
        double mib = bytes / (double) MIB;
        double ref = median(rows.stream().mapToDouble(Row::reference).sorted().toArray());
        double local = median(rows.stream().mapToDouble(Row::localReference).sorted().toArray());
        double mig = median(rows.stream().mapToDouble(Row::migration).sorted().toArray());
        double copy = median(rows.stream().mapToDouble(Row::copyPhase).sorted().toArray());
        OUT.printf(Locale.ROOT, "%nCross-host copy: %d GiB of random data, node A -> node B (network namespaces on a "
                + "bridge, one tgtd and one cinder-volume JVM per node, file backends with target_helper = tgtadm; API "
                + "and scheduler in the harness JVM; PostgreSQL and RabbitMQ), %d run(s); page cache dropped before "
                + "each copy: %s%n", gib, rows.size(), CopyBenchmark.dropCaches() ? "yes" : "NO (not permitted)");
        OUT.printf(Locale.ROOT, "%4s %22s %22s %22s %14s %14s%n", "run", "qemu-img iSCSI->iSCSI",
                "qemu-img file->iSCSI", "migration via API", "copy phase", "ratio");
        for (Row r : rows) {
            OUT.printf(Locale.ROOT, "%4d %8.2f s %7.1f MiB/s %8.2f s %7.1f MiB/s %8.2f s %7.1f MiB/s %12.1f s %14.2f%n",
                    r.run(), r.reference(), mib / r.reference(), r.localReference(), mib / r.localReference(),
                    r.migration(), mib / r.migration(), r.copyPhase(), r.reference() / r.migration());
        }
        OUT.printf(Locale.ROOT, "%4s %8.2f s %7.1f MiB/s %8.2f s %7.1f MiB/s %8.2f s %7.1f MiB/s %12.1f s %14.2f%n",
                "med", ref, mib / ref, local, mib / local, mig, mib / mig, copy, ref / mig);
        OUT.println("\nratio = migration rate (request to success) / qemu-img iSCSI->iSCSI rate; 1.00 = the migration, "
                + "orchestration included, moves data as fast as qemu-img between the two targets.");
        OUT.println("copy phase = node A's own figure: from asking B for its export until qemu-img ended.");
        OUT.println("reference argv (in A's namespace, targets without CHAP): " + String.join(" ", referenceArgv));
        OUT.println("file reference argv (in A's namespace): " + String.join(" ", localReferenceArgv));
        OUT.println("migration's engine argv (on A, flags from its log): " + String.join(" ", engineArgv));
        OUT.println("migration time: from the os-migrate_volume request (generic path, force_host_copy) until the "
                + "finished_at of its record in the API (polled every 50 ms); every copy checked byte for byte.");
        OUT.println("load average at the end: " + loadAverage());
    }

    /** Both nodes' pools in the scheduler; longer than AdminApi's minute: two extra JVMs start on a busy host. */
    private static void awaitPools(String base) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (AdminApi.call("GET", base + "/scheduler-stats/get_pools", null).path("pools").size() != 2) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the scheduler never saw both nodes' pools");
            }
            Thread.sleep(100);
        }
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "n/a";
        }
    }

    /** Runs SQL on the server's {@code postgres} database ({@code postgresql://user[:pass]@host:port}). */
    private static void sql(String server, String statement) throws Exception {
        URI uri = URI.create(server.replace("postgresql://", "http://"));
        String[] user = uri.getUserInfo() == null ? new String[] {"postgres"} : uri.getUserInfo().split(":", 2);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort()
                + "/postgres", user[0], user.length > 1 ? user[1] : "");
             Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static boolean rabbitmqctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("rabbitmqctl", "-q"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

}
