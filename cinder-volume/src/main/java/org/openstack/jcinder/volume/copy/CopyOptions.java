package org.openstack.jcinder.volume.copy;

import java.util.List;

import org.openstack.jcinder.common.config.BackendOptions;
import org.openstack.jcinder.shared.config.Option;
import org.openstack.jcinder.shared.config.OptionCatalogue;
import org.openstack.jcinder.shared.config.OptionType;

/**
 * The copy-engine options of a backend section, any driver's ({@link CopyEngines} reads them):
 * {@code volume_dd_blocksize} and {@code volume_copy_bps_limit} are Cinder's, the others this project's.
 */
public final class CopyOptions {

    public static final OptionCatalogue CATALOGUE = new OptionCatalogue();
    private static final String S = BackendOptions.SECTION;

    public static final Option<String> VOLUME_COPY_ENGINE = CATALOGUE.choice(S, "volume_copy_engine",
            "native", List.of("dd", "native"), "Engine of host copies from this backend: native (the default: a "
                    + "reflink or copy_file_range between files on one filesystem, else parallel, sparse, verified) "
                    + "or dd (Cinder's argument vector).");
    public static final Option<Integer> VOLUME_COPY_STREAMS = CATALOGUE.integer(S, "volume_copy_streams", 4, 1,
            1024, "Parallel streams of the native engine.");
    public static final Option<Integer> VOLUME_COPY_BLOCK_SIZE_MB = CATALOGUE.integer(S,
            "volume_copy_block_size_mb", 4, 1, 1024, "Block of the native engine, in MiB.");
    public static final Option<Boolean> VOLUME_COPY_VERIFY = CATALOGUE.bool(S, "volume_copy_verify", true,
            "Whether the native engine reads back and compares what it wrote.");
    public static final Option<Long> VOLUME_COPY_BPS_LIMIT = CATALOGUE.longInteger(S, "volume_copy_bps_limit", 0,
            0, Long.MAX_VALUE, "Bytes/s for every copy of this backend, 0 = unlimited (both engines; dd is paced by pausing it).");
    public static final Option<NativeCopyEngine.DirectIo> VOLUME_COPY_DIRECT_IO = CATALOGUE.option(S,
            "volume_copy_direct_io", directIo(), NativeCopyEngine.DirectIo.BLOCK_DEVICES,
            "O_DIRECT (native engine only): auto = for block devices, true = wherever accepted, false = never.");
    public static final Option<Boolean> VOLUME_COPY_OFFLOAD = CATALOGUE.bool(S, "volume_copy_offload", true,
            "Native engine: between two files on one filesystem, the kernel's paths first (FICLONE, "
                    + "copy_file_range).");
    public static final Option<String> VOLUME_DD_BLOCKSIZE = CATALOGUE.string(S, "volume_dd_blocksize", "1M",
            "dd's block size (dd engine); checked as Cinder checks it (a bad value falls back to 1M).");

    private CopyOptions() {
    }

    /** auto, or a boolean (true: always, false: never). */
    private static OptionType<NativeCopyEngine.DirectIo> directIo() {
        OptionType<Boolean> bool = OptionType.bool();
        return new OptionType<>() {
            @Override
            public NativeCopyEngine.DirectIo parse(String text) {
                return text.equalsIgnoreCase("auto") ? NativeCopyEngine.DirectIo.BLOCK_DEVICES
                        : NativeCopyEngine.DirectIo.of(bool.parse(text));
            }

            @Override
            public String format(NativeCopyEngine.DirectIo value) {
                return switch (value) {
                    case BLOCK_DEVICES -> "auto";
                    case ALWAYS -> "true";
                    case NEVER -> "false";
                };
            }
        };
    }
}
