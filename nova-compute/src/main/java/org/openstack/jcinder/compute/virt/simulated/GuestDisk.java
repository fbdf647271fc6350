package org.openstack.jcinder.compute.virt.simulated;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.openstack.jcinder.compute.virt.Disk;

/**
 * A disk as the simulated guest sees it. Every guest read, write and flush goes through here, which is what
 * lets a mirror job see the writes it must copy again, and what lets the pivot happen between two guest I/Os:
 * guest I/O holds the read side of {@link #io}, the pivot takes the write side (QEMU drains in-flight requests
 * the same way before it switches a mirror's device).
 */
final class GuestDisk implements AutoCloseable {

    private final ReentrantReadWriteLock io = new ReentrantReadWriteLock();
    private volatile Disk disk;
    private volatile FileChannel channel;
    private volatile long size;
    private volatile DirtyBitmap tracker;

    GuestDisk(Disk disk) {
        this.disk = disk;
        try {
            this.channel = open(disk);
            this.size = BlockDevices.size(disk.source(), channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + disk.source() + ": " + e.getMessage(), e);
        }
    }

    static FileChannel open(Disk disk) throws IOException {
        return FileChannel.open(disk.source(), StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    Disk disk() {
        return disk;
    }

    long size() {
        return size;
    }

    /** The device under the disk grew: the guest sees its new size from the next I/O on. */
    void grow(long newSize) {
        io.writeLock().lock();
        try {
            size = Math.max(size, newSize);
        } finally {
            io.writeLock().unlock();
        }
    }

    /** A guest write; returns once the bytes are in the disk's page cache (a flush makes them durable). */
    void write(long offset, ByteBuffer data) throws IOException {
        io.readLock().lock();
        try {
            int length = data.remaining();
            while (data.hasRemaining()) {
                channel.write(data, offset + (length - data.remaining()));
            }
            DirtyBitmap t = tracker;
            if (t != null) {
                t.markDirty(offset, length);
            }
        } finally {
            io.readLock().unlock();
        }
    }

    void read(long offset, ByteBuffer into) throws IOException {
        io.readLock().lock();
        try {
            int length = into.remaining();
            while (into.hasRemaining()) {
                if (channel.read(into, offset + (length - into.remaining())) < 0) {
                    break;
                }
            }
        } finally {
            io.readLock().unlock();
        }
    }

    /** The guest's fsync: durable on whichever device the disk is on now. */
    void flush() throws IOException {
        io.readLock().lock();
        try {
            channel.force(true);
        } finally {
            io.readLock().unlock();
        }
    }

    /** Reads for the mirror, bypassing the tracker (the mirror's own reads dirty nothing). */
    FileChannel sourceChannel() {
        return channel;
    }

    void startTracking(DirtyBitmap bitmap) {
        this.tracker = bitmap;
    }

    void stopTracking() {
        this.tracker = null;
    }

    /**
     * Runs {@code drainAndSwitch} with guest I/O stopped, then makes {@code newDisk}/{@code newChannel} the
     * disk. The old channel is closed after the switch; the mirror owns the new one until then. Returns how
     * long guest I/O was held, in nanoseconds.
     */
    long pivot(Disk newDisk, FileChannel newChannel, IoAction drainAndSwitch) throws IOException {
        FileChannel old;
        io.writeLock().lock();
        long held = System.nanoTime();
        try {
            drainAndSwitch.run();
            old = channel;
            channel = newChannel;
            disk = newDisk;
            size = Math.max(size, BlockDevices.size(newDisk.source(), newChannel));
            tracker = null;
        } finally {
            held = System.nanoTime() - held;
            io.writeLock().unlock();
        }
        old.close();
        return held;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a channel we only read and wrote through: nothing to recover
        }
    }

    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }
}
