package org.openstack.jcinder.volume.copy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One small checkpointed copy at service start, on a daemon thread: the first migration after a start must
 * not pay for loading the native calls (JNA), the copy classes and their first compilation — a few hundred
 * milliseconds on two cores, more than the orchestration of a warm migration. The copy is also a self-test:
 * its route (reflink, copy_file_range or the engine's own loop) is logged for the operator, and a copy that
 * does not reproduce its source is logged as a warning before any volume depends on the engine.
 */
public final class CopyEngineWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(CopyEngineWarmUp.class);
    private static final int MIB = 1 << 20;
    /** 4 MiB with data in its second and fourth MiB: holes, data, the tail, several checkpoints. */
    private static final long SIZE = 4L * MIB;

    private CopyEngineWarmUp() {
    }

    /**
     * Starts the warm-up of the backends' native engines, in a scratch directory under {@code dir}: one test copy
     * per distinct setting (backends configured alike share what it warms and what it says), on one thread.
     */
    public static void inBackground(Map<String, CopyEngine> engines, Path dir) {
        // dd and qemu-img are processes of their own: nothing of theirs warms up in this JVM.
        Map<NativeCopyEngine.Settings, Alike> bySettings = new LinkedHashMap<>();
        engines.forEach((backend, engine) -> {
            if (engine instanceof NativeCopyEngine n) {
                bySettings.computeIfAbsent(n.settings(), k -> new Alike(n, new ArrayList<>())).backends().add(backend);
            }
        });
        if (bySettings.isEmpty()) {
            return;
        }
        Thread t = new Thread(() -> bySettings.values().forEach(a -> run(String.join(", ", a.backends()),
                a.engine(), dir)), "copy-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** The backends sharing one engine setting, and the first one's engine, which stands for them all. */
    private record Alike(NativeCopyEngine engine, List<String> backends) {
    }

    static void run(String backend, NativeCopyEngine engine, Path dir) {
        long started = System.nanoTime();
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory(dir, ".copy-warm-up-");
            Path source = scratch.resolve("source");
            Path destination = scratch.resolve("destination");
            try (RandomAccessFile f = new RandomAccessFile(source.toFile(), "rw")) {
                f.setLength(SIZE);
                byte[] data = new byte[MIB];
                new java.util.Random(SIZE).nextBytes(data);
                f.seek(MIB);
                f.write(data);
                f.seek(3L * MIB);
                f.write(data);
            }
            Files.createFile(destination);
            new CheckpointedCopy(engine, MIB).copy(source, destination, SIZE, 0, true, b -> { },
                    CopyControl.none(), c -> { });
            if (Files.mismatch(source, destination) != -1) {
                LOG.warn("Copy engine of {}: its start-up test copy in {} does not match its source", backend, dir);
                return;
            }
            LOG.info("Copy engine of {} ready: native, {} between files in {}, verify {}, test copy in {} ms",
                    backend, engine.lastRoute(), dir, engine.verifies() ? "on" : "off",
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Copy engine of {}: start-up test copy in {} failed: {}", backend, dir, e.getMessage());
        } finally {
            if (scratch != null) {
                delete(scratch);
            }
        }
    }

    private static void delete(Path scratch) {
        try (Stream<Path> s = Files.walk(scratch)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not remove {}: {}", scratch, e.getMessage());
        }
    }
}
