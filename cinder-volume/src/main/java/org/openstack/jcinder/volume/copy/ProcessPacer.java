package org.openstack.jcinder.volume.copy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import com.sun.jna.LastErrorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces a running copy process (dd) to a bandwidth limit that may change while it runs: a thread compares the
 * bytes the process has read ({@code rchar} of {@code /proc/PID/io}: dd reads every byte it copies, also
 * those {@code conv=sparse} does not write) with what the limit allows since the limit took effect, and
 * stops the process ({@code SIGSTOP}) while it is ahead, resuming it ({@code SIGCONT}) when the schedule has
 * caught up. The schedule is cumulative, so the error over any window is bounded by a block or two of dd, not
 * by the window's length; the limit is re-read every few milliseconds, so a change takes hold at once (a new
 * window starts from then, as the native engine's {@link org.openstack.jcinder.shared.io.Pacer}). This works
 * for any device or file and needs neither cgroups (this machine kind has cgroup v1 with no io controller for
 * v2) nor root.
 */
final class ProcessPacer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessPacer.class);
    private static final long MAX_SLEEP_NANOS = 20_000_000L;
    private static final long MIN_SLEEP_NANOS = 1_000_000L;
    private static final long SPEED_SAMPLE_BYTES = 1L << 20;
    private static final long SELF_STOP_WAIT_NANOS = 10_000_000_000L;

    private final Process process;
    private final int pid;
    private final LongSupplier limitSource;
    private final LongConsumer onChange;
    private final Path io;
    private final LibC.Calls c;
    private final Thread thread;
    private final long started = System.nanoTime();
    private volatile boolean closed;
    private boolean stopped;

    /**
     * @param limitSource the limit in force now, bytes per second (0 = unlimited)
     * @param onChange    told each limit taken into use (the first one too)
     * @param startedStopped the process runs {@link #startingStopped}: this waits until it has stopped itself,
     *                       and the first look lets it go as soon as the allowance is ahead of what it read
     */
    private ProcessPacer(Process process, LongSupplier limitSource, LongConsumer onChange, boolean startedStopped) {
        this.process = process;
        this.pid = (int) process.pid();
        this.limitSource = limitSource;
        this.onChange = onChange;
        this.io = Path.of("/proc", Integer.toString(pid), "io");
        this.c = LibC.get().orElseThrow(() -> new IllegalStateException("no glibc: cannot pace a process"));
        if (startedStopped) {
            awaitSelfStop();
        }
        this.thread = new Thread(this::run, "pace-" + pid);
        thread.setDaemon(true);
        thread.start();
    }

    /** A process and its pacer ({@code null} when it runs unpaced). */
    record Paced(Process process, ProcessPacer pacer) {
    }

    /**
     * Starts {@code argv} (its standard error merged into its output), under a pacer when {@code pace}. A
     * process limited from its start begins stopped (a shell stops itself and, once let go, becomes the
     * command under the same pid): stopping it only after it started races with a dd or qemu-img that reads a
     * small or sparse volume whole in a few milliseconds, before any signal can reach it.
     */
    static Paced start(List<String> argv, boolean pace, LongSupplier limitSource, LongConsumer onChange)
            throws IOException {
        boolean startStopped = pace && limitSource.getAsLong() > 0;
        Process p = new ProcessBuilder(startStopped ? startingStopped(argv) : argv).redirectErrorStream(true).start();
        return new Paced(p, pace ? new ProcessPacer(p, limitSource, onChange, startStopped) : null);
    }

    /**
     * The command line that runs {@code argv} stopped from its start: a shell sends itself SIGSTOP and, once
     * continued, execs the command under the same pid, before the command has read a byte.
     */
    private static List<String> startingStopped(List<String> argv) {
        List<String> run = new ArrayList<>(List.of("/bin/sh", "-c", "kill -STOP $$ && exec \"$0\" \"$@\""));
        run.addAll(argv);
        return run;
    }

    /**
     * Waits for a {@link #startingStopped} process to be stopped: a SIGCONT sent before the shell's own SIGSTOP
     * would be lost, and the process would stay stopped for good.
     */
    private void awaitSelfStop() {
        long deadline = System.nanoTime() + SELF_STOP_WAIT_NANOS;
        Path stat = Path.of("/proc", Integer.toString(pid), "stat");
        while (process.isAlive()) {
            try {
                String s = Files.readString(stat);
                char state = s.charAt(s.lastIndexOf(')') + 2);
                if (state == 'T' || state == 't') {
                    stopped = true;
                    return;
                }
            } catch (IOException | IndexOutOfBoundsException e) {
                return; // gone: nothing to pace
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("process " + pid + " did not stop itself within 10 s");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether processes can be paced here (glibc through JNA, and /proc/self/io). */
    static boolean possible() {
        return LibC.available() && Files.isReadable(Path.of("/proc/self/io"));
    }

    private void run() {
        long limit = Long.MIN_VALUE;
        // The first limit counts from the process's start and its first byte: what dd read before this
        // thread first looked is inside the allowance, not on top of it.
        long windowStart = started;
        long windowBase = 0;
        boolean first = true;
        long speed = 0; // bytes/s the process reached while running, to time the next look
        long lastBytes = 0;
        long lastTime = System.nanoTime();
        try {
            while (!closed && process.isAlive()) {
                long now = System.nanoTime();
                long bytes = readBytes();
                if (bytes < 0) {
                    return; // the process is gone
                }
                if (!stopped && now > lastTime && bytes - lastBytes >= SPEED_SAMPLE_BYTES) {
                    // Only from real progress, and the fastest seen: the first figures can be the shell's before it
                    // became dd (kilobytes a second), and a sleep sized on them let dd read 400 MiB of a sparse
                    // file unseen (it reads one at 20 GB/s with O_DIRECT).
                    speed = Math.max(speed, (long) ((bytes - lastBytes) * 1e9 / (now - lastTime)));
                }
                lastBytes = bytes;
                lastTime = now;
                long wanted = limitSource.getAsLong();
                if (wanted != limit) {
                    limit = wanted;
                    if (!first) {
                        windowStart = now;
                        windowBase = bytes;
                    }
                    first = false;
                    onChange.accept(wanted);
                }
                long sleep;
                if (limit <= 0) {
                    resume();
                    sleep = MAX_SLEEP_NANOS;
                } else {
                    long allowed = windowBase + (long) ((now - windowStart) / 1e9 * limit);
                    if (bytes >= allowed) {
                        stop();
                        sleep = (long) ((bytes - allowed) * 1e9 / limit);
                    } else {
                        boolean wasStopped = stopped;
                        resume();
                        // Look again about when it will have used what is left of its allowance; right after a
                        // resume, or before its speed is known, at once (it may read a GB/s from a sparse file).
                        sleep = wasStopped || speed == 0 ? MIN_SLEEP_NANOS
                                : (long) ((allowed - bytes) * 1e9 / speed);
                    }
                }
                sleep = Math.max(MIN_SLEEP_NANOS, Math.min(MAX_SLEEP_NANOS, sleep));
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("pacing of process {} ended: {}", pid, e.toString());
        } finally {
            resume();
        }
    }

    private long readBytes() {
        try {
            for (String line : Files.readAllLines(io)) {
                if (line.startsWith("rchar:")) {
                    return Long.parseLong(line.substring(6).strip());
                }
            }
            return -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private synchronized void stop() {
        if (!stopped && !closed) {
            signal(LibC.SIGSTOP);
            stopped = true;
        }
    }

    /** Lets the process run (again); also what a cancel calls before it ends the process. */
    synchronized void resume() {
        if (stopped) {
            signal(LibC.SIGCONT);
            stopped = false;
        }
    }

    private void signal(int sig) {
        try {
            if (process.isAlive()) {
                c.kill(pid, sig);
            }
        } catch (LastErrorException e) {
            // ESRCH: it has just exited.
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        resume();
    }
}
