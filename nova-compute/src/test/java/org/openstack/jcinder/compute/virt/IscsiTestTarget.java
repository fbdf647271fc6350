package org.openstack.jcinder.compute.virt;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A private {@code tgtd} on loopback for the compute side's iSCSI tests: its own management port
 * ({@code tgtd -C N}) and portal, and targets with one LUN and their own CHAP account, as Cinder's
 * {@code target_helper = tgtadm} exports them. Skipped without root or the tools (tgt, qemu-block-extra,
 * qemu-system-common's qemu-storage-daemon, /dev/fuse) unless {@code CINDER_TEST_REQUIRE_ISCSI=1}.
 * (cinder-common's {@code Tgtd} is the same daemon for the Cinder side; nova-compute does not depend on it.)
 */
public final class IscsiTestTarget implements AutoCloseable {

    private static final List<Path> TOOLS = List.of(Path.of("/usr/sbin/tgtd"), Path.of("/usr/sbin/tgtadm"),
            Path.of("/usr/sbin/tgt-admin"), Path.of("/usr/bin/qemu-storage-daemon"), Path.of("/dev/fuse"),
            Path.of("/usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so"));

    private final Process process;
    private final int control;
    private final int port;
    private final Path log;
    private int nextTid = 1;

    private IscsiTestTarget(Process process, int control, int port, Path log) {
        this.process = process;
        this.control = control;
        this.port = port;
        this.log = log;
    }

    public static void assumeAvailable() {
        List<Path> missing = TOOLS.stream().filter(p -> !Files.exists(p)).toList();
        boolean root = "root".equals(System.getProperty("user.name"));
        String why = !root ? "needs root" : missing.isEmpty() ? null : "needs " + missing
                + " (Debian: apt-get install tgt qemu-block-extra qemu-system-common)";
        if (why != null && "1".equals(System.getenv("CINDER_TEST_REQUIRE_ISCSI"))) {
            throw new IllegalStateException(why + " (CINDER_TEST_REQUIRE_ISCSI=1)");
        }
        Assumptions.assumeTrue(why == null, why);
    }

    public static IscsiTestTarget start() throws Exception {
        assumeAvailable();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int control = ThreadLocalRandom.current().nextInt(10000, 20000);
        Path log = Files.createTempFile("tgtd-" + control + "-", ".log");
        Process p = new ProcessBuilder("tgtd", "-f", "-C", Integer.toString(control), "--iscsi",
                "portal=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        IscsiTestTarget t = new IscsiTestTarget(p, control, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            t.tgtadm("--lld", "iscsi", "--op", "show", "--mode", "target");
            if (t.exit == 0) {
                break;
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String why = Files.readString(log);
                t.close();
                throw new IllegalStateException("tgtd did not start: " + why);
            }
            Thread.sleep(100);
        }
        return t;
    }

    private int exit;

    /** Exports {@code backing} as LUN 1 of a new target with its own CHAP user; the connection_info's LUN. */
    public IscsiTarget export(Path backing, String name) throws Exception {
        int tid = nextTid++;
        String iqn = "iqn.2010-10.org.openstack:" + name;
        String user = "u" + tid + Long.toHexString(ThreadLocalRandom.current().nextLong());
        String password = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        run("--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", "" + tid, "-T", iqn);
        run("--lld", "iscsi", "--op", "new", "--mode", "logicalunit", "--tid", "" + tid, "--lun", "1",
                "-b", backing.toString());
        run("--lld", "iscsi", "--op", "bind", "--mode", "target", "--tid", "" + tid, "-I", "ALL");
        run("--lld", "iscsi", "--op", "new", "--mode", "account", "--user", user, "--password", password);
        run("--lld", "iscsi", "--op", "bind", "--mode", "account", "--tid", "" + tid, "--user", user);
        return IscsiTarget.of("127.0.0.1:" + port, iqn, 1, "CHAP", user, password);
    }

    /** What {@code tgtadm --op show --mode conn} says of a target's sessions (initiators logged in). */
    public String connections(IscsiTarget lun) throws Exception {
        String show = tgtadm("--lld", "iscsi", "--op", "show", "--mode", "target");
        int tid = -1;
        for (String line : show.split("\n")) {
            if (line.startsWith("Target ") && line.endsWith(": " + lun.iqn())) {
                tid = Integer.parseInt(line.substring(7, line.indexOf(':')));
            }
        }
        return tgtadm("--lld", "iscsi", "--op", "show", "--mode", "conn", "--tid", "" + tid);
    }

    private void run(String... args) throws Exception {
        String out = tgtadm(args);
        if (exit != 0) {
            throw new IllegalStateException("tgtadm " + String.join(" ", args) + ": " + out);
        }
    }

    private synchronized String tgtadm(String... args) throws java.io.IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("tgtadm", "-C", Integer.toString(control)));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        exit = p.exitValue();
        return out;
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            new ProcessBuilder("tgt-admin", "-C", Integer.toString(control), "--delete", "ALL", "-f")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(30, TimeUnit.SECONDS);
            tgtadm("--op", "delete", "--mode", "system");
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        Files.deleteIfExists(Path.of("/var/run/tgtd/socket." + control));
        Files.deleteIfExists(Path.of("/var/run/tgtd/socket." + control + ".lock"));
        Files.deleteIfExists(log);
    }
}
