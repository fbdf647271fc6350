package org.openstack.jcinder.compute.virt.simulated;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A synthetic guest that writes numbered 4 KiB records across its disk, fsyncs each, and counts a record as
 * acknowledged only after the fsync returned — what a database's journal does. {@link #verify} reads a device
 * afterwards and checks that every acknowledged record is there: the proof that a swap lost no write.
 */
public final class JournalWorkload implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalWorkload.class);
    static final int RECORD = 4096;
    private static final long MAGIC = 0x4a43_4757_4a4e_4c31L; // "JCGWJNL1"

    private final GuestDisk disk;
    private final String name;
    private final AtomicLong acknowledged = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String failure;

    JournalWorkload(String name, GuestDisk disk) {
        this.name = name;
        this.disk = disk;
        this.thread = new Thread(this::loop, "guest-journal-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The highest record number whose fsync returned. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Why the guest stopped writing, if it did (an I/O error the guest saw). */
    public String failure() {
        return failure;
    }

    private void loop() {
        long slots = disk.size() / RECORD;
        ByteBuffer record = ByteBuffer.allocateDirect(RECORD);
        try {
            for (long seq = 1; running; seq++) {
                fill(record, seq);
                disk.write(((seq - 1) % slots) * RECORD, record);
                disk.flush();
                acknowledged.set(seq);
                // A guest that also does other work: leaves the host's second core to the copy.
                Thread.sleep(0, 200_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            failure = e.toString();
            LOG.warn("Guest journal on {} stopped after record {}: {}", name, acknowledged.get(), e.toString());
        }
    }

    static void fill(ByteBuffer record, long seq) {
        record.clear();
        record.putLong(MAGIC).putLong(seq);
        while (record.position() < RECORD - 8) {
            record.putLong(seq * 0x9E37_79B9_7F4A_7C15L + record.position());
        }
        CRC32C crc = new CRC32C();
        ByteBuffer body = record.duplicate().flip();
        crc.update(body);
        record.putLong(crc.getValue());
        record.flip();
    }

    /**
     * Checks that records 1..{@code acknowledged} are all on {@code device} (a later record in the same slot
     * counts: the journal wraps around). Returns the first missing record number, or 0 when none is missing.
     */
    public static long verify(Path device, long size, long acknowledged) throws IOException {
        long slots = size / RECORD;
        ByteBuffer record = ByteBuffer.allocateDirect(RECORD);
        ByteBuffer expected = ByteBuffer.allocateDirect(RECORD);
        try (FileChannel ch = FileChannel.open(device, StandardOpenOption.READ)) {
            for (long seq = Math.max(1, acknowledged - slots + 1); seq <= acknowledged; seq++) {
                long slot = (seq - 1) % slots;
                record.clear();
                while (record.hasRemaining() && ch.read(record, slot * RECORD + record.position()) >= 0) {
                    // positional reads until the record is whole
                }
                record.flip();
                long onDisk = record.getLong(8);
                if (record.getLong(0) != MAGIC || onDisk < seq || (onDisk - 1) % slots != slot) {
                    return seq;
                }
                if (onDisk == seq) {
                    fill(expected, seq);
                    if (!expected.equals(record)) {
                        return seq;
                    }
                }
            }
        }
        return 0;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
