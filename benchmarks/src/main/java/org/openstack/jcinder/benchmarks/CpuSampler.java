package org.openstack.jcinder.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the CPU went during a measurement window: this JVM's process CPU split by thread name into load
 * generator (bench-client-*, HttpClient-*), Tomcat request threads (http-nio-*) and other Java threads; the
 * remainder of process CPU is GC, JIT and VM threads. The whole machine's busy time (/proc/stat) shows what
 * other processes (wrk, PostgreSQL, RabbitMQ, anything else running) used.
 */
final class CpuSampler {

    record Snapshot(long wallNanos, long processCpuNanos, Map<Long, ThreadCpu> threads, long gcCount,
                    long gcMillis, long machineBusyTicks, long machineTotalTicks, long postgresTicks,
                    long rabbitTicks) {
    }

    record ThreadCpu(String name, long cpuNanos, long allocatedBytes) {
    }

    /** Seconds of CPU per second of wall time ("cores"), by category. */
    record Usage(double wallSeconds, double process, double client, double tomcat, double otherJava,
                 double vm, double machineBusy, int cores, long gcCount, long gcMillis, long tomcatAllocated,
                 long allAllocated, double postgres, double rabbit) {

        /** Cores used outside this JVM by anything but the PostgreSQL and RabbitMQ servers. */
        double otherProcesses() {
            return Math.max(0, machineBusy - process - postgres - rabbit);
        }
    }

    private CpuSampler() {
    }

    static Snapshot snapshot() {
        ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        Map<Long, ThreadCpu> threads = new HashMap<>();
        if (tmx.isThreadCpuTimeSupported()) {
            com.sun.management.ThreadMXBean alloc = tmx instanceof com.sun.management.ThreadMXBean t
                    && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled() ? t : null;
            for (ThreadInfo info : tmx.getThreadInfo(tmx.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long cpu = tmx.getThreadCpuTime(info.getThreadId());
                long bytes = alloc != null ? alloc.getThreadAllocatedBytes(info.getThreadId()) : 0;
                if (cpu >= 0) {
                    threads.put(info.getThreadId(), new ThreadCpu(info.getThreadName(), cpu, Math.max(0, bytes)));
                }
            }
        }
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        long[] machine = machineTicks();
        long[] servers = serverTicks();
        return new Snapshot(System.nanoTime(), processCpuNanos(), threads, gcCount, gcMillis, machine[0],
                machine[1], servers[0], servers[1]);
    }

    static Usage usage(Snapshot a, Snapshot b) {
        double wall = (b.wallNanos() - a.wallNanos()) / 1e9;
        double client = 0;
        double tomcat = 0;
        double other = 0;
        long tomcatAlloc = 0;
        long allAlloc = 0;
        for (Map.Entry<Long, ThreadCpu> e : b.threads().entrySet()) {
            ThreadCpu before = a.threads().get(e.getKey());
            long delta = e.getValue().cpuNanos() - (before != null ? before.cpuNanos() : 0);
            long allocDelta = e.getValue().allocatedBytes() - (before != null ? before.allocatedBytes() : 0);
            allAlloc += allocDelta;
            String name = e.getValue().name();
            if (name.startsWith("bench-client-") || name.startsWith("HttpClient-")) {
                client += delta;
            } else if (name.startsWith("http-nio-")) {
                tomcat += delta;
                tomcatAlloc += allocDelta;
            } else {
                other += delta;
            }
        }
        double process = (b.processCpuNanos() - a.processCpuNanos()) / 1e9 / wall;
        client = client / 1e9 / wall;
        tomcat = tomcat / 1e9 / wall;
        other = other / 1e9 / wall;
        double vm = Math.max(0, process - client - tomcat - other);
        int cores = Runtime.getRuntime().availableProcessors();
        long totalTicks = b.machineTotalTicks() - a.machineTotalTicks();
        double machineBusy = totalTicks > 0
                ? (double) (b.machineBusyTicks() - a.machineBusyTicks()) / totalTicks * cores : Double.NaN;
        // USER_HZ is 100 on Linux.
        double postgres = (b.postgresTicks() - a.postgresTicks()) / 100.0 / wall;
        double rabbit = (b.rabbitTicks() - a.rabbitTicks()) / 100.0 / wall;
        return new Usage(wall, process, client, tomcat, other, vm, machineBusy, cores,
                b.gcCount() - a.gcCount(), b.gcMillis() - a.gcMillis(), tomcatAlloc, allAlloc, Math.max(0, postgres),
                Math.max(0, rabbit));
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** busy and total jiffies of all CPUs from the first line of /proc/stat, or zeros where unavailable. */
    private static long[] machineTicks() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = first.trim().split("\\s+");
            long total = 0;
            long idle = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i == 4 || i == 5) {
                    idle += v; // idle, iowait
                }
            }
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /**
     * Waits up to {@code maxSeconds} until, over one second, the machine is busy for less than
     * {@code threshold} cores outside this JVM. Returns the seconds waited, negative if it never got quiet.
     */
    static double awaitQuiet(int maxSeconds, double threshold) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + maxSeconds * 1_000_000_000L;
        while (true) {
            Snapshot a = snapshot();
            Thread.sleep(1000);
            Usage u = usage(a, snapshot());
            double outside = u.machineBusy() - u.process();
            double waited = (System.nanoTime() - start) / 1e9;
            if (Double.isNaN(outside) || outside < threshold) {
                return waited;
            }
            if (System.nanoTime() > deadline) {
                return -waited;
            }
        }
    }

    /**
     * CPU ticks (user + system) of the PostgreSQL server processes and of RabbitMQ's Erlang VM, from
     * /proc/PID/stat. A backend that exits inside the window takes its ticks with it (the connection pool
     * keeps its backends for the whole run).
     */
    private static long[] serverTicks() {
        long pg = 0;
        long mq = 0;
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : dirs) {
                String stat;
                try {
                    stat = Files.readString(dir.resolve("stat"));
                } catch (IOException | RuntimeException e) {
                    continue; // exited
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < open) {
                    continue;
                }
                String comm = stat.substring(open + 1, close);
                boolean isPg = comm.equals("postgres");
                boolean isMq = comm.equals("beam.smp") || comm.equals("erl_child_setup") || comm.equals("epmd");
                if (!isPg && !isMq) {
                    continue;
                }
                String[] f = stat.substring(close + 2).split(" ");
                // fields after ")": state(0) ... utime(11) stime(12)
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                if (isPg) {
                    pg += ticks;
                } else {
                    mq += ticks;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
        return new long[] {pg, mq};
    }

    /** Peak resident set size of this process (VmHWM), in bytes, or -1. */
    static long peakRssBytes() {
        return procStatusKb("VmHWM:");
    }

    static long rssBytes() {
        return procStatusKb("VmRSS:");
    }

    private static long procStatusKb(String key) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith(key)) {
                    return Long.parseLong(l.substring(key.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
