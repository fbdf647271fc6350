package org.openstack.jcinder.testsupport;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/**
 * Real lvm2 volume groups for tests, on loop-device PVs backed by sparse image files (this machine kind has
 * no device-mapper, so lvm2 runs with {@code --driverloaded n}). Needs root and lvm2: without them the test
 * is skipped with the reason, unless {@code CINDER_TEST_REQUIRE_LVM=1} (CI), where it fails.
 */
public final class LoopVolumeGroups implements AutoCloseable {

    private final Path dir;
    private final List<String> names;
    private final List<String> pvLoops = new ArrayList<>();

    private LoopVolumeGroups(Path dir, List<String> names) {
        this.dir = dir;
        this.names = names;
    }

    /** Creates one volume group per name, each on its own PV of {@code bytes} (sparse). */
    public static LoopVolumeGroups create(long bytes, String... names) throws Exception {
        boolean available = Files.isExecutable(Path.of("/usr/sbin/lvcreate"))
                && Files.isExecutable(Path.of("/usr/sbin/losetup")) && "root".equals(System.getProperty("user.name"));
        if (!available && "1".equals(System.getenv("CINDER_TEST_REQUIRE_LVM"))) {
            throw new IllegalStateException("lvm2, losetup and root are required (CINDER_TEST_REQUIRE_LVM=1)");
        }
        Assumptions.assumeTrue(available, "needs root, lvm2 and losetup (Debian: apt-get install lvm2)");
        LoopVolumeGroups vgs = new LoopVolumeGroups(Files.createTempDirectory("jcinder-lvm"), List.of(names));
        for (String vg : names) {
            Path img = vgs.dir.resolve(vg + ".img");
            try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
                f.setLength(bytes);
            }
            String loop = last(sh("losetup", "--find", "--show", img.toString()));
            vgs.pvLoops.add(loop);
            sh("pvcreate", "--driverloaded", "n", loop);
            sh("vgcreate", "--driverloaded", "n", vg, loop);
        }
        return vgs;
    }

    public Path dir() {
        return dir;
    }

    /** Loop devices mapped onto these PVs (LV mappings a driver made), not counting the PVs' own. */
    public long stackedLoops() throws Exception {
        return sh("losetup", "-a").lines().filter(this::onOurPv).count();
    }

    private boolean onOurPv(String losetupLine) {
        return pvLoops.stream().anyMatch(l -> losetupLine.contains("(" + l + ")"));
    }

    /** Removes the volume groups, any loop device left on their PVs, the PVs' loops and the images. */
    @Override
    public void close() throws Exception {
        for (String vg : names) {
            try {
                sh("vgremove", "--driverloaded", "n", "-f", vg);
            } catch (IllegalStateException ignored) {
                // already gone
            }
        }
        for (String line : sh("losetup", "-a").split("\n")) {
            if (onOurPv(line)) {
                quietly("losetup", "-d", line.substring(0, line.indexOf(':')));
            }
        }
        for (String loop : pvLoops) {
            quietly("losetup", "-d", loop);
        }
        sh("rm", "-rf", dir.toString());
    }

    /** Runs a command (stdout and stderr together), failing with its output. */
    public static String sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + ": " + out);
        }
        return out.strip();
    }

    /** The last line of a command's output (lvm2 prints its warnings first). */
    public static String last(String out) {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static void quietly(String... argv) {
        try {
            sh(argv);
        } catch (Exception ignored) {
            // detached meanwhile
        }
    }
}
