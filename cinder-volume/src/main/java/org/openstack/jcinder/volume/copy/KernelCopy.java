package org.openstack.jcinder.volume.copy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.ptr.LongByReference;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.shared.io.Pacer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The kernel's fast paths between two regular files on one filesystem, tried by {@link NativeCopyEngine}
 * before its own read/write loop:
 * <ol>
 *   <li>{@code FICLONE} (a reflink, XFS with {@code reflink=1}, btrfs): the destination shares the source's
 *       blocks, no data is read or written, whatever the size (so no bandwidth limit has anything to pace).
 *       Verification then compares sample pieces (see {@link #verifySamples}).</li>
 *   <li>{@code copy_file_range} over the source's data extents ({@code SEEK_DATA}/{@code SEEK_HOLE}) in
 *       chunks ({@code volume_copy_block_size_mb}), several streams at once: the data moves inside the kernel (page cache to page cache on ext4,
 *       a remap where the filesystem can), never through this process. Writeback is started after each chunk
 *       ({@code sync_file_range}), so the disk writes while the next chunks are read, instead of all at the
 *       final flush. Each chunk is verified right after it is copied (CRC32C of the source's and the
 *       destination's bytes, both read back from the page cache where they still are), then the pacer, the
 *       cancel and the progress are served.</li>
 * </ol>
 * Either path ends with {@code fdatasync} of the destination, and leaves the pages cached for the caller.
 * {@link #copy} answers empty (nothing done) where neither applies: different filesystems, block devices, no glibc, or the kernel refusing both calls.
 */
final class KernelCopy {

    private static final Logger LOG = LoggerFactory.getLogger(KernelCopy.class);
    /** Pieces compared after a clone, of this size each. */
    private static final int SAMPLE = 64 << 10;
    private static final int SAMPLES = 16;

    /** The path a copy took. */
    enum Route { CLONE, COPY_FILE_RANGE, USER_SPACE }

    /**
     * What a copy did: its route and, for copy_file_range with verification, the CRC32C of the destination's
     * range as the verification saw it (each chunk's, combined in order with the holes between them); else
     * {@link CopyEngine.RangeCopy#UNKNOWN}.
     */
    record Copied(Route route, long destinationCrc32c) {
    }

    private KernelCopy() {
    }

    /** Whether both are regular files on one filesystem and the kernel calls can be made. */
    static boolean applies(Path source, Path destination) {
        if (!LibC.available() || !Files.isRegularFile(source) || !Files.isRegularFile(destination)) {
            return false;
        }
        try {
            return Files.getAttribute(source, "unix:dev").equals(Files.getAttribute(destination, "unix:dev"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Copies {@code [from, to)} of the volume with a clone or copy_file_range; empty when neither could start
     * (the caller copies itself). Once data has moved, a failure is an error, not a fallback. Progress counts
     * from {@code from}. A clone is tried only from byte 0, and then covers the whole volume.
     */
    static Optional<Copied> copy(Path source, Path destination, long bytes, long from, long to, boolean sparse,
                                 boolean verify, int streams, long chunk, CopyEngine.Progress progress,
                                 CopyControl control, Pacer limiter) {
        if (!applies(source, destination)) {
            return Optional.empty();
        }
        LibC.Calls c = LibC.get().orElseThrow();
        try (LibC.Fd in = LibC.Fd.open(c, source.toString(), LibC.O_RDONLY);
             LibC.Fd out = LibC.Fd.open(c, destination.toString(), LibC.O_RDWR)) {
            long sourceSize = Files.size(source);
            if (sourceSize < bytes && !sparse) {
                // Past the source's end the destination must be written with zeros: the engine's own loop does.
                return Optional.empty();
            }
            if (from == 0 && sourceSize == bytes && Files.size(destination) <= bytes && clone(c, in, out)) {
                if (verify) {
                    verifySamples(c, in, out, bytes);
                }
                c.fdatasync(out.fd);
                progress.copied(bytes);
                LOG.debug("{} -> {}: cloned (FICLONE)", source, destination);
                return Optional.of(new Copied(Route.CLONE, CopyEngine.RangeCopy.UNKNOWN));
            }
            // Where the source has no data the destination must read as zeros: with sparse it does already,
            // otherwise copy_file_range over the holes writes the zeros.
            long end = Math.min(bytes, sourceSize); // with sparse, what lies past the source reads as zeros
            List<ExtentMap.Range> ranges = sparse
                    ? ExtentMap.seekData(source).orElse(List.of(new ExtentMap.Range(0, end)))
                    : List.of(new ExtentMap.Range(0, bytes));
            List<long[]> chunks = new ArrayList<>();
            long skipped = to; // what lies before `from` counts as done, what is a hole as skipped
            for (ExtentMap.Range r : ranges) {
                long rangeEnd = Math.min(Math.min(r.end(), end), to);
                for (long p = Math.max(r.start(), from); p < rangeEnd; p += chunk) {
                    long len = Math.min(chunk, rangeEnd - p);
                    chunks.add(new long[] {p, len});
                    skipped -= len;
                }
            }
            if (!chunks.isEmpty() && !copyChunk(c, in, out, chunks.get(0)[0], chunks.get(0)[1], true)) {
                return Optional.empty(); // the kernel refuses copy_file_range here: nothing was copied
            }
            long[] crcs = new long[chunks.size()];
            if (!chunks.isEmpty()) {
                java.nio.channels.FileChannel[] first = buffers(verify, source, destination);
                try {
                    crcs[0] = verifyChunk(c, in, out, chunks.get(0)[0], chunks.get(0)[1], first);
                } finally {
                    closeAll(first);
                }
            }
            if (!chunks.isEmpty()) {
                limiter.acquire(chunks.get(0)[1]);
            }
            AtomicLong copied = new AtomicLong(skipped + (chunks.isEmpty() ? 0 : chunks.get(0)[1]));
            progress.copied(copied.get());
            if (chunks.size() > 1) {
                parallel(c, in, out, chunks, crcs, verify, streams, progress, control, limiter, copied, source,
                        destination);
            }
            if (Files.size(destination) < bytes) {
                try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(destination.toFile(), "rw")) {
                    f.setLength(bytes); // a hole at the end stays a hole
                }
            }
            c.fdatasync(out.fd);
            // The pages stay cached for the caller; it evicts them (NativeCopyEngine#evictFromCache).
            return Optional.of(new Copied(Route.COPY_FILE_RANGE,
                    verify ? Crc32cAlgebra.ofPieces(chunks, crcs, from, to) : CopyEngine.RangeCopy.UNKNOWN));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeDriverException("copy interrupted", e);
        } catch (LastErrorException | IOException e) {
            throw new VolumeDriverException("copy " + source + " -> " + destination + " failed: " + e.getMessage(), e);
        }
    }

    private static boolean clone(LibC.Calls c, LibC.Fd in, LibC.Fd out) {
        try {
            c.ioctl(out.fd, new NativeLong(LibC.FICLONE), in.fd);
            return true;
        } catch (LastErrorException e) {
            // EOPNOTSUPP/ENOTTY (no reflink: ext4), EXDEV, EINVAL (alignment): the next path.
            return false;
        }
    }

    /** Chunks 1.. of {@code chunks} (the first is copied as the probe), each one's checksum into {@code crcs}. */
    private static void parallel(LibC.Calls c, LibC.Fd in, LibC.Fd out, List<long[]> chunks, long[] crcs,
                                 boolean verify, int streams, CopyEngine.Progress progress, CopyControl control,
                                 Pacer limiter, AtomicLong copied, Path source, Path destination) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        int n = Math.max(1, Math.min(streams, chunks.size() - 1));
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "copy-" + destination.getFileName());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < n; w++) {
                int worker = w;
                workers.add(pool.submit(() -> {
                    if (mdc != null) {
                        MDC.setContextMap(mdc);
                    }
                    java.nio.channels.FileChannel[] buffers = buffers(verify, source, destination);
                    try {
                        for (int i = 1 + worker; i < chunks.size(); i += n) {
                            control.throwIfCancelled();
                            long[] chunk = chunks.get(i);
                            copyChunk(c, in, out, chunk[0], chunk[1], false);
                            crcs[i] = verifyChunk(c, in, out, chunk[0], chunk[1], buffers);
                            limiter.acquire(chunk[1]);
                            long total = copied.addAndGet(chunk[1]);
                            synchronized (progress) {
                                progress.copied(total);
                            }
                        }
                    } finally {
                        closeAll(buffers);
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof CinderException known ? known
                    : new VolumeDriverException("copy to " + destination + " failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeDriverException("copy interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One chunk by copy_file_range; false only when {@code probe} and the kernel refuses the call outright. */
    private static boolean copyChunk(LibC.Calls c, LibC.Fd in, LibC.Fd out, long pos, long len, boolean probe) {
        LongByReference offIn = new LongByReference(pos);
        LongByReference offOut = new LongByReference(pos);
        long left = len;
        while (left > 0) {
            long n;
            try {
                n = c.copy_file_range(in.fd, offIn, out.fd, offOut, left, 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == LibC.EINTR) {
                    continue;
                }
                if (probe && left == len) {
                    LOG.debug("copy_file_range refused ({}): copying in user space", e.getMessage());
                    return false;
                }
                throw e;
            }
            if (n == 0) {
                throw new VolumeDriverException("copy_file_range: the source ended at byte " + offIn.getValue());
            }
            left -= n;
        }
        // Start writing this chunk back now rather than at the final flush.
        c.sync_file_range(out.fd, pos, len, LibC.SYNC_FILE_RANGE_WRITE);
        return true;
    }

    /** Per stream: the two files mapped for reading, to compare chunks without copying them. */
    private static java.nio.channels.FileChannel[] buffers(boolean verify, Path source, Path destination) {
        if (!verify) {
            return null;
        }
        try {
            return new java.nio.channels.FileChannel[] {
                    java.nio.channels.FileChannel.open(source, java.nio.file.StandardOpenOption.READ),
                    java.nio.channels.FileChannel.open(destination, java.nio.file.StandardOpenOption.READ)};
        } catch (IOException e) {
            throw new VolumeDriverException("cannot open " + destination + " to verify it: " + e.getMessage(), e);
        }
    }

    private static void closeAll(java.nio.channels.FileChannel[] channels) {
        if (channels != null) {
            for (java.nio.channels.FileChannel ch : channels) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // read-only
                }
            }
        }
    }

    /**
     * The chunk of the source and of the destination compared byte for byte, both as the kernel now returns
     * them (the page cache, where copy_file_range just left them), through memory mappings: no copy into this
     * process, a vectorised comparison.
     */
    private static long verifyChunk(LibC.Calls c, LibC.Fd in, LibC.Fd out, long pos, long len,
                                    java.nio.channels.FileChannel[] b) {
        if (b == null) {
            return CopyEngine.RangeCopy.UNKNOWN;
        }
        try {
            java.nio.MappedByteBuffer s = b[0].map(java.nio.channels.FileChannel.MapMode.READ_ONLY, pos, len);
            java.nio.MappedByteBuffer d = b[1].map(java.nio.channels.FileChannel.MapMode.READ_ONLY, pos, len);
            int at;
            long crc;
            try {
                at = s.mismatch(d);
                // The checkpoint's checksum of the destination, from the same mapping: no second read.
                CRC32C destination = new CRC32C();
                destination.update(d);
                crc = destination.getValue();
            } finally {
                // Unmapped now, not at some later GC: a mapping would keep the file's filesystem busy.
                unmap(s);
                unmap(d);
            }
            if (at >= 0) {
                throw new VolumeDriverException("verification failed at byte " + (pos + at) + ": the destination "
                        + "does not hold what the source holds");
            }
            return crc;
        } catch (IOException e) {
            throw new VolumeDriverException("cannot verify the copy at byte " + pos + ": " + e.getMessage(), e);
        }
    }

    private static final sun.misc.Unsafe UNSAFE = unsafe();

    private static sun.misc.Unsafe unsafe() {
        try {
            java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static void unmap(java.nio.MappedByteBuffer b) {
        if (UNSAFE != null) {
            UNSAFE.invokeCleaner(b);
        }
    }

    private static long crc(LibC.Calls c, LibC.Fd fd, ByteBuffer buf, long pos, int len) {
        buf.clear();
        int done = 0;
        while (done < len) {
            long n = c.pread(fd.fd, buf.position(done).slice(), len - done, pos + done);
            if (n <= 0) {
                // Past the end of a shorter file: the rest reads as zeros.
                for (int i = done; i < len; i++) {
                    buf.put(i, (byte) 0);
                }
                break;
            }
            done += (int) n;
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.clear().limit(len));
        return crc.getValue();
    }

    /**
     * After a clone: the first and last piece and evenly spaced ones between, 16 pieces of 64 KiB, compared.
     * A clone shares the source's blocks, so this proves what is worth proving (the right file, its whole
     * length, the clone took) without reading the volume.
     */
    private static void verifySamples(LibC.Calls c, LibC.Fd in, LibC.Fd out, long bytes) {
        ByteBuffer a = ByteBuffer.allocateDirect(SAMPLE);
        ByteBuffer b = ByteBuffer.allocateDirect(SAMPLE);
        long pieces = Math.max(1, bytes / SAMPLE);
        for (int i = 0; i < SAMPLES; i++) {
            long piece = SAMPLES == 1 ? 0 : (pieces - 1) * i / (SAMPLES - 1);
            long pos = piece * SAMPLE;
            int len = (int) Math.min(SAMPLE, bytes - pos);
            if (len <= 0) {
                continue;
            }
            if (crc(c, in, a, pos, len) != crc(c, out, b, pos, len)) {
                throw new VolumeDriverException("verification failed at byte " + pos + ": the clone does not hold "
                        + "what the source holds");
            }
        }
    }
}
