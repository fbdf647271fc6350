package org.openstack.jcinder.compute.virt.libvirt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Makes libvirtd + QEMU available to a test, or says why not. Without virsh, libvirtd, QEMU, root or the
 * qemu.conf settings this machine kind needs (no systemd, no cgroups: see docs/libvirt.md), the test is skipped
 * with the reason, unless {@code CINDER_TEST_REQUIRE_LIBVIRT=1} (CI), where it fails. A libvirtd that is not
 * running is started and left running, like the other services the suite uses. The qemu.conf settings are
 * root's host configuration, so {@code .ci/run} writes them, not this class.
 */
public final class LibvirtHost {

    public static final String URI = "qemu:///system";
    static final List<String> QEMU_CONF = List.of("user = \"root\"", "group = \"root\"", "dynamic_ownership = 0",
            "security_driver = \"none\"", "stdio_handler = \"file\"", "cgroup_controllers = [ ]",
            "namespaces = [ ]", "remember_owner = 0");
    private static volatile boolean checked;

    private LibvirtHost() {
    }

    /** Returns once {@link #URI} answers; skips (or fails under CI) when it cannot. */
    public static synchronized void require() throws Exception {
        if (checked) {
            return;
        }
        String missing = missing();
        if (missing != null) {
            if ("1".equals(System.getenv("CINDER_TEST_REQUIRE_LIBVIRT"))) {
                throw new IllegalStateException(missing + " (CINDER_TEST_REQUIRE_LIBVIRT=1)");
            }
            Assumptions.abort(missing);
        }
        if (!answers()) {
            run("libvirtd", "-d", "-p", "/run/libvirtd.pid");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!answers()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("libvirtd was started but " + URI + " does not answer");
                }
                Thread.sleep(250);
            }
        }
        checked = true;
    }

    private static String missing() throws Exception {
        for (String tool : List.of("/usr/bin/virsh", "/usr/sbin/libvirtd", "/usr/bin/qemu-system-x86_64")) {
            if (!Files.isExecutable(Path.of(tool))) {
                return "needs " + tool + " (Debian: apt-get install --no-install-recommends libvirt-daemon-system "
                        + "libvirt-clients qemu-system-x86)";
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "needs root (qemu:///system, loop devices)";
        }
        List<String> conf = Files.readAllLines(Path.of("/etc/libvirt/qemu.conf"));
        List<String> absent = new ArrayList<>();
        for (String setting : QEMU_CONF) {
            if (!conf.contains(setting)) {
                absent.add(setting);
            }
        }
        if (!absent.isEmpty()) {
            return "/etc/libvirt/qemu.conf lacks " + absent + " (run .ci/run, which adds them, then restart libvirtd)";
        }
        return null;
    }

    private static boolean answers() throws Exception {
        Process p = new ProcessBuilder("virsh", "-c", URI, "version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    /** Runs a command (stdout and stderr together), failing with its output. */
    public static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + ": " + out);
        }
        return out.strip();
    }

    public static String virsh(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("virsh", "-c", URI));
        argv.addAll(List.of(args));
        return run(argv.toArray(String[]::new));
    }

    /** A loop device over {@code file} that the caller detaches with {@link #detachLoop}. */
    public static Path attachLoop(Path file) throws Exception {
        return Path.of(run("losetup", "--find", "--show", file.toString()));
    }

    public static void detachLoop(Path loop) {
        try {
            run("losetup", "-d", loop.toString());
        } catch (Exception ignored) {
            // already detached
        }
    }
}
