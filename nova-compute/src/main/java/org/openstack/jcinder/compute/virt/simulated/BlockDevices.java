package org.openstack.jcinder.compute.virt.simulated;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Sizes of what a disk sits on: {@code fstat} says 0 for a block device, so those are read from sysfs. */
final class BlockDevices {

    private BlockDevices() {
    }

    static long size(Path source, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size > 0) {
            return size;
        }
        Path real = source.toRealPath();
        Path sectors = Path.of("/sys/class/block", real.getFileName().toString(), "size");
        if (Files.isReadable(sectors)) {
            return Long.parseLong(Files.readString(sectors).strip()) * 512;
        }
        return 0;
    }
}
