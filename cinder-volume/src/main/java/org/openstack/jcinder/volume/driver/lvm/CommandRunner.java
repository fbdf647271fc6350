package org.openstack.jcinder.volume.driver.lvm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private CommandRunner() {
    }

    static String run(List<String> argv) {
        if (!ALLOWED.contains(argv.get(0))) {
            throw new VolumeDriverException("refusing to run " + argv.get(0) + ": not an allowed storage command");
        }
        return exec(argv, TIMEOUT);
    }

    /** {@link #run} without the allow-list, for tests. */
    static String exec(List<String> argv, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new VolumeDriverException("cannot run " + argv.get(0) + " (is lvm2 installed?): " + e.getMessage(), e);
        }
        // Both pipes are read at once: a child that fills one pipe (64 KiB) blocks until it is read, so reading
        // stdout to the end before stderr would wait forever on a command that writes much to stderr. Reading
        // in other threads also lets the timeout apply while the child is still writing.
        FutureTask<byte[]> out = drain(p.getInputStream(), argv.get(0) + " stdout");
        FutureTask<byte[]> err = drain(p.getErrorStream(), argv.get(0) + " stderr");
        try {
            if (!p.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
                throw timedOut(p, argv);
            }
            // The child may have left a process behind that still holds a pipe open: the timeout covers that too.
            byte[] stdout = out.get(remaining(deadline), TimeUnit.NANOSECONDS);
            byte[] stderr = err.get(remaining(deadline), TimeUnit.NANOSECONDS);
            if (p.exitValue() != 0) {
                throw new VolumeDriverException(String.join(" ", argv) + " failed (" + p.exitValue() + "): "
                        + new String(stderr, StandardCharsets.UTF_8).strip());
            }
            return new String(stdout, StandardCharsets.UTF_8);
        } catch (TimeoutException e) {
            throw timedOut(p, argv);
        } catch (ExecutionException e) {
            throw new VolumeDriverException("cannot run " + argv.get(0) + " (is lvm2 installed?): "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeDriverException(argv.get(0) + " interrupted", e);
        }
    }

    private static FutureTask<byte[]> drain(InputStream in, String name) {
        FutureTask<byte[]> task = new FutureTask<>(() -> {
            try (in) {
                return in.readAllBytes();
            }
        });
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
        return task;
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static VolumeDriverException timedOut(Process p, List<String> argv) {
        p.destroyForcibly();
        return new VolumeDriverException(String.join(" ", argv) + " timed out");
    }

    static String safe(String name, String what) {
        if (name == null || !SAFE_NAME.matcher(name).matches()) {
            throw new VolumeDriverException("unsafe " + what + " name '" + name + "'");
        }
        return name;
    }
}
