package org.openstack.jcinder.volume.driver.lvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.openstack.jcinder.common.exception.VolumeDriverException;

/**
 * Runs storage commands: an argument vector, never a shell; only listed binaries; a timeout; stderr in the
 * error. Names that reach a command line are checked against {@link #SAFE_NAME} first.
 */
final class CommandRunner {

    private static final Set<String> ALLOWED = Set.of("lvcreate", "lvremove", "lvs", "vgs", "pvs", "lvrename",
            "lvextend", "losetup", "blkdiscard");
    static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9+_.\\-]{1,127}");

    private CommandRunner() {
    }

    static String run(List<String> argv) {
        if (!ALLOWED.contains(argv.get(0))) {
            throw new VolumeDriverException("refusing to run " + argv.get(0) + ": not an allowed storage command");
        }
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new VolumeDriverException(String.join(" ", argv) + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new VolumeDriverException(String.join(" ", argv) + " failed (" + p.exitValue() + "): "
                        + new String(err, StandardCharsets.UTF_8).strip());
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new VolumeDriverException("cannot run " + argv.get(0) + " (is lvm2 installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeDriverException(argv.get(0) + " interrupted", e);
        }
    }

    static String safe(String name, String what) {
        if (name == null || !SAFE_NAME.matcher(name).matches()) {
            throw new VolumeDriverException("unsafe " + what + " name '" + name + "'");
        }
        return name;
    }
}
