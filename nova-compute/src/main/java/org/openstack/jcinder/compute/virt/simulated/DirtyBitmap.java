package org.openstack.jcinder.compute.virt.simulated;

import java.util.BitSet;

/**
 * Which chunks of a disk still differ from the mirror's destination. Starts all dirty (nothing copied yet);
 * the guest's writes set bits again; the copier clears a bit <em>before</em> it reads the chunk, so a write
 * racing the copy always leaves the bit set and the chunk is copied once more. Thread-safe.
 */
final class DirtyBitmap {

    private final BitSet dirty;
    private final int chunks;
    private final int granularity;
    private int cursor;

    DirtyBitmap(long bytes, int granularity) {
        this.granularity = granularity;
        this.chunks = (int) ((bytes + granularity - 1) / granularity);
        this.dirty = new BitSet(chunks);
        dirty.set(0, chunks);
    }

    synchronized void markDirty(long offset, long length) {
        if (length <= 0) {
            return;
        }
        int from = (int) (offset / granularity);
        int to = (int) Math.min(chunks, (offset + length + granularity - 1) / granularity);
        dirty.set(from, to);
    }

    /** The next dirty chunk (cleared on return), scanning on from the last one, or -1 when all are clean. */
    synchronized int takeNext() {
        int next = dirty.nextSetBit(cursor);
        if (next < 0) {
            next = dirty.nextSetBit(0);
        }
        if (next < 0) {
            return -1;
        }
        dirty.clear(next);
        cursor = next + 1;
        return next;
    }

    synchronized long dirtyBytes() {
        return (long) dirty.cardinality() * granularity;
    }

    int granularity() {
        return granularity;
    }
}
