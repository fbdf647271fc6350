package org.openstack.jcinder.testsupport;

import java.io.IOException;
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
 * A private {@code tgtd} (Debian's user-space iSCSI target) for a test: its own management port
 * ({@code tgtd -C N}: the control socket {@code /var/run/tgtd/socket.N}, so it never meets another daemon on
 * this machine) and its own portal, optionally inside a network namespace. {@link #close()} removes its
 * targets and stops it ({@code tgtadm --op delete --mode system}; tgtd ignores SIGTERM), killing it if it
 * does not go.
 * <p>
 * Needs root, {@code tgt}, {@code qemu-utils} and {@code qemu-block-extra} (the initiator side, libiscsi):
 * without them the test is skipped with the reason, unless {@code CINDER_TEST_REQUIRE_ISCSI=1} (CI), where it
 * fails.
 */
public final class Tgtd implements AutoCloseable {

    private static final List<Path> TOOLS = List.of(Path.of("/usr/sbin/tgtd"), Path.of("/usr/sbin/tgtadm"),
            Path.of("/usr/sbin/tgt-admin"), Path.of("/usr/bin/qemu-img"),
            Path.of("/usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so"));

    private final Process process;
    private final int controlPort;
    private final String address;
    private final int port;
    private final Path log;

    private Tgtd(Process process, int controlPort, String address, int port, Path log) {
        this.process = process;
        this.controlPort = controlPort;
        this.address = address;
        this.port = port;
        this.log = log;
    }

    /** Skips the test (or fails it under {@code CINDER_TEST_REQUIRE_ISCSI=1}) when the iSCSI tools are missing. */
    public static void assumeAvailable() {
        List<Path> missing = TOOLS.stream().filter(p -> !Files.exists(p)).toList();
        boolean root = "root".equals(System.getProperty("user.name"));
        String why = !root ? "needs root" : missing.isEmpty() ? null
                : "needs " + missing + " (Debian: apt-get install tgt qemu-utils qemu-block-extra)";
        if (why != null && "1".equals(System.getenv("CINDER_TEST_REQUIRE_ISCSI"))) {
            throw new IllegalStateException(why + " (CINDER_TEST_REQUIRE_ISCSI=1)");
        }
        Assumptions.assumeTrue(why == null, why);
    }

    /** A tgtd on this network namespace's loopback, on a free port. */
    public static Tgtd start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return start(null, "127.0.0.1", port);
    }

    /** A tgtd in {@code netns} (null: this one) whose portal is {@code address:port}. */
    public static Tgtd start(String netns, String address, int port) throws Exception {
        assumeAvailable();
        int control = freeControlPort();
        Path log = Files.createTempFile("tgtd-" + control + "-", ".log");
        List<String> argv = new ArrayList<>();
        if (netns != null) {
            argv.addAll(List.of("ip", "netns", "exec", netns));
        }
        argv.addAll(List.of("tgtd", "-f", "-C", Integer.toString(control), "--iscsi",
                "portal=" + address + ":" + port));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Tgtd tgtd = new Tgtd(p, control, address, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (tgtd.tgtadm("--lld", "iscsi", "--op", "show", "--mode", "target").exit != 0) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                tgtd.close();
                throw new IllegalStateException("tgtd did not start: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        return tgtd;
    }

    private static int freeControlPort() {
        for (int i = 0; i < 100; i++) {
            int n = ThreadLocalRandom.current().nextInt(20000, 30000);
            if (!Files.exists(Path.of("/var/run/tgtd/socket." + n))) {
                return n;
            }
        }
        throw new IllegalStateException("no free tgtd control port");
    }

    public int controlPort() {
        return controlPort;
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** What {@code tgtadm --op show --mode target} prints now. */
    public String show() throws Exception {
        return tgtadm("--lld", "iscsi", "--op", "show", "--mode", "target").output;
    }

    private record Result(int exit, String output) {
    }

    private Result tgtadm(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("tgtadm", "-C", Integer.toString(controlPort)));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return new Result(p.exitValue(), out);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            // Targets first (a system delete is refused while targets exist), then the daemon.
            new ProcessBuilder("tgt-admin", "-C", Integer.toString(controlPort), "--delete", "ALL", "-f")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(30, TimeUnit.SECONDS);
            tgtadm("--op", "delete", "--mode", "system");
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        Files.deleteIfExists(Path.of("/var/run/tgtd/socket." + controlPort));
        Files.deleteIfExists(Path.of("/var/run/tgtd/socket." + controlPort + ".lock"));
        Files.deleteIfExists(log);
    }
}
