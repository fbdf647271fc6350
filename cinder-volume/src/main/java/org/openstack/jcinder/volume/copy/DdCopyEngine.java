package org.openstack.jcinder.volume.copy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.springframework.stereotype.Component;

/**
 * {@code dd} with the arguments Cinder's {@code volume_utils.copy_volume} builds:
 * {@code dd if=SRC of=DST count=BYTES bs=1M iflag=count_bytes [conv=sparse]}, run without a shell. Direct I/O
 * flags are not used yet (Cinder adds them only after probing that both sides accept them).
 */
@Component
public class DdCopyEngine implements CopyEngine {

    static final String BLOCK_SIZE = "1M";

    static List<String> argv(Path source, Path destination, long bytes, boolean sparse) {
        List<String> argv = new ArrayList<>(List.of("dd", "if=" + source, "of=" + destination,
                "count=" + bytes, "bs=" + BLOCK_SIZE, "iflag=count_bytes"));
        if (sparse) {
            argv.add("conv=sparse");
        }
        return argv;
    }

    @Override
    public void copy(Path source, Path destination, long bytes, boolean sparse, Progress progress) {
        List<String> argv = argv(source, destination, bytes, sparse);
        try {
            Process dd = new ProcessBuilder(argv).redirectErrorStream(true).start();
            byte[] output = dd.getInputStream().readAllBytes();
            if (!dd.waitFor(1, TimeUnit.HOURS) || dd.exitValue() != 0) {
                throw new VolumeDriverException(String.join(" ", argv) + " failed: " + new String(output).strip());
            }
            progress.copied(bytes);
        } catch (IOException e) {
            throw new VolumeDriverException("cannot run dd: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeDriverException("copy interrupted", e);
        }
    }
}
