package org.openstack.jcinder.volume.copy;

import java.util.Optional;

import org.openstack.jcinder.common.config.BackendConfig;

/**
 * Chooses a backend's copy engine from its cinder.conf section: {@code volume_copy_engine = native} (default:
 * the fastest here, {@code docs/benchmarks.md}), with {@code volume_copy_streams},
 * {@code volume_copy_block_size_mb}, {@code volume_copy_verify}, {@code volume_copy_bps_limit},
 * {@code volume_copy_direct_io} ({@code auto}, the default: O_DIRECT for block devices only; {@code true}:
 * wherever the files allow it; {@code false}: never) and {@code volume_copy_offload} (true: a reflink or
 * copy_file_range between files on one filesystem), or {@code dd} (Cinder's argument vector, with
 * {@code volume_dd_blocksize} and {@code volume_copy_bps_limit}).
 */
public final class CopyEngines {

    private CopyEngines() {
    }

    public static CopyEngine forBackend(BackendConfig backend, DdCopyEngine dd) {
        String name = backend.option("volume_copy_engine").orElse("native");
        return switch (name) {
            case "dd" -> {
                long limit = backend.longOption("volume_copy_bps_limit", 0);
                Optional<String> blockSize = backend.option("volume_dd_blocksize");
                yield blockSize.isEmpty() && limit == 0 ? dd : new DdCopyEngine(blockSize.orElse(null), limit);
            }
            case "native" -> new NativeCopyEngine(new NativeCopyEngine.Settings(
                    (int) backend.longOption("volume_copy_block_size_mb", 4) << 20,
                    (int) backend.longOption("volume_copy_streams", 4),
                    backend.boolOption("volume_copy_verify", true),
                    backend.longOption("volume_copy_bps_limit", 0),
                    directIo(backend),
                    backend.boolOption("volume_copy_offload", true)));
            default -> throw backend.error("volume_copy_engine", "'" + name + "' is not dd or native");
        };
    }

    private static NativeCopyEngine.DirectIo directIo(BackendConfig backend) {
        String v = backend.option("volume_copy_direct_io").orElse("auto").toLowerCase();
        return switch (v) {
            case "auto" -> NativeCopyEngine.DirectIo.BLOCK_DEVICES;
            default -> NativeCopyEngine.DirectIo.of(backend.boolOption("volume_copy_direct_io", true));
        };
    }
}
