package org.openstack.jcinder.volume.copy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code dd} with the arguments Cinder's {@code volume_utils.copy_volume} builds:
 * {@code dd if=SRC of=DST count=BYTES bs=BS iflag=count_bytes[,direct] [oflag=direct] [conv=sparse]}, run
 * without a shell, plus {@code status=progress} so the bytes copied can be read while it runs (GNU dd prints
 * them about once a second).
 * <ul>
 *   <li>{@code bs} is the backend's {@code volume_dd_blocksize} (default 1M); a negative, zero-led, decimal or
 *       unparsable value logs a warning and falls back to 1M, as Cinder does.</li>
 *   <li>Each direct flag is added only after a probe on the actual paths succeeded (Cinder's
 *       {@code check_for_odirect_support}): one block read from the source with {@code iflag=direct}
 *       (skipped for /dev/zero, which refuses it), and an open of the destination with {@code oflag=direct}
 *       ({@code count=0 conv=notrunc}: nothing written, nothing truncated).</li>
 *   <li>{@code conv=sparse} when the destination reads as zeros.</li>
 *   <li>One deliberate difference: without {@code oflag=direct} this adds {@code conv=fdatasync}, so the
 *       data is on the destination's disk before the migration deletes the source (Cinder migrates with
 *       {@code sync=False} and relies on the page cache).</li>
 *   <li>A bandwidth limit (the migration's {@code bps_limit}, else the backend's {@code volume_copy_bps_limit})
 *       is kept by pausing and resuming the process ({@link ProcessPacer}), also when it changes while dd
 *       runs. Where that is not possible (no glibc or /proc) a copy with a limit is refused before it starts,
 *       never run unthrottled.</li>
 * </ul>
 */
@Component
public class DdCopyEngine implements CopyEngine {

    private static final Logger LOG = LoggerFactory.getLogger(DdCopyEngine.class);
    static final String BLOCK_SIZE = "1M";
    private static final Pattern VALID_BLOCK_SIZE = Pattern.compile("[1-9]\\d*[KMGT]?");

    private final String blockSize;
    private final long bytesPerSecondLimit;

    public DdCopyEngine() {
        this(BLOCK_SIZE);
    }

    /** {@code blockSize} as {@code volume_dd_blocksize} gives it; checked as Cinder checks it. */
    public DdCopyEngine(String blockSize) {
        this(blockSize, 0);
    }

    /** With the backend's bandwidth limit ({@code volume_copy_bps_limit}, bytes/s, 0 = none). */
    public DdCopyEngine(String blockSize, long bytesPerSecondLimit) {
        this.blockSize = checkedBlockSize(blockSize);
        this.bytesPerSecondLimit = bytesPerSecondLimit;
    }

    @Override
    public boolean followsLiveBandwidthLimit() {
        return ProcessPacer.possible();
    }

    @Override
    public boolean keepsBandwidthLimit() {
        return ProcessPacer.possible(); // paced, or not limited at all: a limited copy is refused
    }

    static String checkedBlockSize(String configured) {
        if (configured == null || configured.isBlank()) {
            return BLOCK_SIZE;
        }
        if (!VALID_BLOCK_SIZE.matcher(configured.strip()).matches()) {
            LOG.warn("Incorrect value error: {}, it may indicate that 'volume_dd_blocksize' was configured "
                    + "incorrectly. Fall back to default ({}).", configured, BLOCK_SIZE);
            return BLOCK_SIZE;
        }
        return configured.strip();
    }

    String blockSize() {
        return blockSize;
    }

    /** The flags the probes allowed, decided once per copy. */
    record DirectFlags(boolean input, boolean output) {
        static final DirectFlags NONE = new DirectFlags(false, false);
    }

    static List<String> argv(Path source, Path destination, long bytes, boolean sparse) {
        return argv(source, destination, bytes, sparse, BLOCK_SIZE, DirectFlags.NONE);
    }

    static List<String> argv(Path source, Path destination, long bytes, boolean sparse, String blockSize,
                             DirectFlags direct) {
        List<String> argv = new ArrayList<>(List.of("dd", "if=" + source, "of=" + destination,
                "count=" + bytes, "bs=" + blockSize, direct.input() ? "iflag=count_bytes,direct" : "iflag=count_bytes"));
        if (direct.output()) {
            argv.add("oflag=direct");
        }
        List<String> conv = new ArrayList<>();
        if (!direct.output()) {
            conv.add("fdatasync");
        }
        if (sparse) {
            conv.add("sparse");
        }
        if (!conv.isEmpty()) {
            argv.add("conv=" + String.join(",", conv));
        }
        argv.add("status=progress");
        return argv;
    }

    /** Cinder's O_DIRECT probes, on the paths of this copy. */
    static DirectFlags probe(Path source, Path destination) {
        boolean input = !source.equals(Path.of("/dev/zero")) && succeeds(List.of("dd", "if=" + source,
                "of=/dev/null", "count=1", "bs=4096", "iflag=direct"));
        boolean output = succeeds(List.of("dd", "if=/dev/zero", "of=" + destination, "count=0", "oflag=direct",
                "conv=notrunc"));
        return new DirectFlags(input, output);
    }

    private static boolean succeeds(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static final Pattern COPIED = Pattern.compile("^(\\d+) bytes");

    /** Reads dd's output, reporting each "N bytes … copied" line (they end in a carriage return while it runs). */
    static String readProgress(InputStream in, Progress progress) throws IOException {
        StringBuilder all = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            all.append((char) c);
            if (c == '\r' || c == '\n') {
                Matcher m = COPIED.matcher(line.toString().strip());
                if (m.find()) {
                    progress.copied(Long.parseLong(m.group(1)));
                }
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        return all.toString();
    }

    private static String lastLines(String output) {
        String s = output.replace('\r', '\n').strip();
        return s.length() > 500 ? s.substring(s.length() - 500) : s;
    }

    /** The argument vector of a copy, after the O_DIRECT probes on these paths (the benchmark runs it alone). */
    public List<String> command(Path source, Path destination, long bytes, boolean sparse) {
        // dd's last read is the remainder of count_bytes: direct I/O needs it aligned too.
        DirectFlags direct = bytes % 4096 == 0 ? probe(source, destination) : DirectFlags.NONE;
        LOG.info("dd {} -> {}: O_DIRECT probes: input={} output={}", source, destination, direct.input(),
                direct.output());
        return argv(source, destination, bytes, sparse, blockSize, direct);
    }

    @Override
    public void copy(Path source, Path destination, long bytes, boolean sparse, Progress progress,
                     CopyControl control) {
        control.throwIfCancelled();
        java.util.function.LongSupplier limit = () -> control.bpsLimit() >= 0 ? control.bpsLimit()
                : bytesPerSecondLimit;
        boolean pace = ProcessPacer.possible();
        if (!pace && limit.getAsLong() > 0) {
            throw new VolumeDriverException("dd cannot be throttled on this host (no glibc or /proc to pace it): "
                    + "refusing a copy limited to " + limit.getAsLong() + " bytes/s rather than ignoring the limit");
        }
        List<String> argv = command(source, destination, bytes, sparse);
        try {
            ProcessPacer.Paced started = ProcessPacer.start(argv, pace, limit, control::applied);
            Process dd = started.process();
            ProcessPacer pacer = started.pacer();
            // dd cannot be asked to stop between blocks: a cancel ends the process (SIGTERM; a paused dd is
            // resumed so that it can act on it).
            control.onCancel(() -> {
                dd.destroy();
                if (pacer != null) {
                    pacer.resume();
                }
            });
            String output;
            boolean exited;
            try {
                output = readProgress(new BufferedInputStream(dd.getInputStream()), progress);
                exited = dd.waitFor(1, TimeUnit.HOURS);
            } finally {
                if (pacer != null) {
                    pacer.close();
                }
            }
            if (control.cancelled()) {
                dd.destroyForcibly();
                throw new CopyCancelledException();
            }
            if (!exited || dd.exitValue() != 0) {
                throw new VolumeDriverException(String.join(" ", argv) + " failed: " + lastLines(output));
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
