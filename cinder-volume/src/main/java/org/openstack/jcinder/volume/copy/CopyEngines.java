package org.openstack.jcinder.volume.copy;

import org.openstack.jcinder.common.config.BackendConfig;

/**
 * Chooses a backend's copy engine from its cinder.conf section: {@code volume_copy_engine = dd} (default,
 * Cinder's behaviour, with {@code volume_dd_blocksize}) or {@code native}, with {@code volume_copy_streams},
 * {@code volume_copy_block_size_mb}, {@code volume_copy_verify}, {@code volume_copy_bps_limit} and
 * {@code volume_copy_direct_io} ({@code auto}, the default: O_DIRECT for block devices only; {@code true}:
 * wherever the files allow it; {@code false}: never) for the native one.
 */
public final class CopyEngines {

    private CopyEngines() {
    }

    public static CopyEngine forBackend(BackendConfig backend, DdCopyEngine dd) {
        String name = backend.option("volume_copy_engine").orElse("dd");
        return switch (name) {
            case "dd" -> backend.option("volume_dd_blocksize").map(DdCopyEngine::new).orElse(dd);
            case "native" -> new NativeCopyEngine(new NativeCopyEngine.Settings(
                    (int) backend.longOption("volume_copy_block_size_mb", 4) << 20,
                    (int) backend.longOption("volume_copy_streams", 4),
                    backend.boolOption("volume_copy_verify", true),
                    backend.longOption("volume_copy_bps_limit", 0),
                    directIo(backend)));
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
