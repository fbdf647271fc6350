package org.openstack.jcinder.compute.virt.simulated;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.BooleanSupplier;

import org.openstack.jcinder.shared.io.Pacer;
import org.openstack.jcinder.compute.virt.BlockCopyControl;
import org.openstack.jcinder.compute.virt.Disk;
import org.openstack.jcinder.compute.virt.HypervisorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A block-copy job the way QEMU's mirror runs one: copy every dirty chunk to the destination while the guest
 * keeps writing (its writes re-dirty chunks), and once what is left is small, stop guest I/O for a moment,
 * copy the rest, flush the destination and switch the disk to it. Until that switch the guest runs on the
 * source, so an abort at any point leaves it exactly where it was.
 */
final class MirrorJob {

    private static final Logger LOG = LoggerFactory.getLogger(MirrorJob.class);

    /** QEMU's default mirror granularity for disks of this size. */
    static final int GRANULARITY = 64 * 1024;
    /**
     * The copy flushes its destination every this many bytes: left to the kernel, gigabytes of dirty pages
     * build up and the writeback throttling that follows stalls the guest's own flushes for hundreds of
     * milliseconds (measured with benchmarks/run-swap.sh).
     */
    static final long FLUSH_EVERY = 64L << 20;

    /** Left-over dirty bytes small enough to copy with the guest paused (a few milliseconds of work). */
    static final long PIVOT_THRESHOLD = 512L * 1024;

    private final String domain;
    private final GuestDisk disk;
    private final Disk destination;
    private final BlockCopyControl control;
    private final BooleanSupplier domainAlive;
    private final Pacer pacer;
    private long copied;

    MirrorJob(String domain, GuestDisk disk, Disk destination, BlockCopyControl control,
              BooleanSupplier domainAlive) {
        this.domain = domain;
        this.disk = disk;
        this.destination = destination;
        this.control = control;
        this.domainAlive = domainAlive;
        this.pacer = new Pacer(control::bandwidthBytesPerSecond, limit -> { }, this::stopIfAsked);
    }

    void run() {
        Disk source = disk.disk();
        FileChannel dest;
        long destSize;
        try {
            dest = GuestDisk.open(destination);
            destSize = BlockDevices.size(destination.source(), dest);
        } catch (IOException e) {
            throw new HypervisorException("block copy of " + domain + "/" + source.target() + ": cannot open "
                    + destination.source() + ": " + e.getMessage(), e);
        }
        long size = disk.size();
        if (destSize < size) {
            close(dest);
            throw new HypervisorException("block copy of " + domain + "/" + source.target() + ": destination "
                    + destination.source() + " has " + destSize + " bytes, the disk has " + size);
        }
        DirtyBitmap bitmap = new DirtyBitmap(size, GRANULARITY);
        disk.startTracking(bitmap);
        boolean pivoted = false;
        try {
            copyUntilConverged(bitmap, dest, size);
            // Flushing the bulk of the copy now keeps it out of the pause: under the lock only the last few
            // chunks are left to write and flush.
            dest.force(true);
            copyUntilConverged(bitmap, dest, size);
            long[] drained = new long[1];
            long held = disk.pivot(destination.withTarget(source.target()), dest, () -> {
                drained[0] = drain(bitmap, dest, size);
                dest.force(true);
            });
            pivoted = true;
            // The last chunks went over with the guest paused: the job's final figures, as QEMU's show cur == end.
            copied += drained[0];
            control.progress(copied, copied);
            control.pivoted(held);
            LOG.info("Block copy of {}/{} pivoted from {} to {}: guest I/O held {} ms to copy the last {} KiB "
                    + "and flush", domain, source.target(), source.source(), destination.source(),
                    held / 1_000_000, drained[0] >> 10);
        } catch (IOException e) {
            throw new HypervisorException("block copy of " + domain + "/" + source.target() + " to "
                    + destination.source() + " failed: " + e.getMessage(), e);
        } finally {
            if (!pivoted) {
                disk.stopTracking();
                close(dest);
            }
        }
    }

    private void copyUntilConverged(DirtyBitmap bitmap, FileChannel dest, long size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(GRANULARITY);
        long sinceFlush = 0;
        while (bitmap.dirtyBytes() > PIVOT_THRESHOLD) {
            stopIfAsked();
            int chunk = bitmap.takeNext();
            if (chunk < 0) {
                break;
            }
            copied += copyChunk(chunk, buffer, dest, size);
            if (++sinceFlush * GRANULARITY >= FLUSH_EVERY) {
                dest.force(false);
                sinceFlush = 0;
            }
            try {
                pacer.acquire(GRANULARITY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HypervisorException("block copy interrupted");
            }
            control.progress(copied, copied + bitmap.dirtyBytes());
        }
        control.progress(copied, copied + bitmap.dirtyBytes());
    }

    /** Ends the job, guest left on its old disk, when the caller cancels or the domain is gone. */
    private void stopIfAsked() {
        if (control.cancelled()) {
            throw new HypervisorException("block copy of " + domain + " was cancelled; the guest stays on "
                    + disk.disk().source());
        }
        if (!domainAlive.getAsBoolean()) {
            throw new HypervisorException("domain " + domain + " disappeared during the block copy");
        }
    }

    private long drain(DirtyBitmap bitmap, FileChannel dest, long size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(GRANULARITY);
        long bytes = 0;
        for (int chunk = bitmap.takeNext(); chunk >= 0; chunk = bitmap.takeNext()) {
            bytes += copyChunk(chunk, buffer, dest, size);
        }
        return bytes;
    }

    private long copyChunk(int chunk, ByteBuffer buffer, FileChannel dest, long size) throws IOException {
        long offset = (long) chunk * GRANULARITY;
        int length = (int) Math.min(GRANULARITY, size - offset);
        read(disk.sourceChannel(), buffer, offset, length);
        if (isZero(buffer) && destinationIsZero(dest, offset, length)) {
            // QEMU's mirror writes zeroes efficiently instead of data; here the destination already reads as
            // zeros, so not writing keeps a sparse destination sparse.
            return length;
        }
        buffer.position(0);
        while (buffer.hasRemaining()) {
            dest.write(buffer, offset + buffer.position());
        }
        return length;
    }

    private ByteBuffer probe;

    private boolean destinationIsZero(FileChannel dest, long offset, int length) throws IOException {
        if (probe == null) {
            probe = ByteBuffer.allocateDirect(GRANULARITY);
        }
        read(dest, probe, offset, length);
        return isZero(probe);
    }

    private static void read(FileChannel ch, ByteBuffer into, long offset, int length) throws IOException {
        into.clear().limit(length);
        while (into.hasRemaining()) {
            if (ch.read(into, offset + into.position()) < 0) {
                break;
            }
        }
        into.flip();
    }

    private static boolean isZero(ByteBuffer b) {
        for (int i = b.position(); i + 8 <= b.limit(); i += 8) {
            if (b.getLong(i) != 0) {
                return false;
            }
        }
        for (int i = b.limit() & ~7; i < b.limit(); i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static void close(FileChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // the job failed already; the close error adds nothing
        }
    }
}
