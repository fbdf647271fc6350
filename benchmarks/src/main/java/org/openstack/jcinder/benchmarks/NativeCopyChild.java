package org.openstack.jcinder.benchmarks;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.openstack.jcinder.volume.copy.NativeCopyEngine;

/**
 * One native-engine copy in a JVM of its own (the benchmark starts it with {@code -Xmx256m} under
 * {@code /usr/bin/time -v}), so its memory is measured like dd's and qemu-img's: max RSS of the process, plus
 * the peak of the Java heap and of direct buffers while it copies, printed for the parent.
 *
 * <p>Arguments: {@code SRC DST BYTES SPARSE(true|false) VERIFY(true|false) DIRECT_IO(true|false)}.
 */
public final class NativeCopyChild {

    private NativeCopyChild() {
    }

    public static void main(String[] args) throws Exception {
        Path src = Path.of(args[0]);
        Path dst = Path.of(args[1]);
        long bytes = Long.parseLong(args[2]);
        boolean sparse = Boolean.parseBoolean(args[3]);
        boolean verify = Boolean.parseBoolean(args[4]);
        boolean directIo = Boolean.parseBoolean(args[5]);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        AtomicLong directPeak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                directPeak.accumulateAndGet(direct.getMemoryUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        NativeCopyEngine engine = new NativeCopyEngine(new NativeCopyEngine.Settings(4 << 20, 4, verify, 0, directIo));
        long start = System.nanoTime();
        engine.copy(src, dst, bytes, sparse, b -> { });
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        long heapPeak = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf(Locale.ROOT, "SECONDS=%.3f HEAP_PEAK=%d DIRECT_PEAK=%d DIRECT_IO=%s%n", seconds, heapPeak,
                directPeak.get(), engine.lastDirectIo());
    }
}
