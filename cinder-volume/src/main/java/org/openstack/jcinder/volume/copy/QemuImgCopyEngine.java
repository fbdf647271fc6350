package org.openstack.jcinder.volume.copy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copy engine when one side (or both) is an iSCSI export on another host: {@code qemu-img convert -n}
 * with QEMU's {@code iscsi} block driver, i.e. the user-space initiator libiscsi ({@code qemu-block-extra}),
 * since these hosts have no kernel initiator to give the native or dd engine a device node.
 * <ul>
 *   <li>Both sides are opened with {@code --image-opts} as {@code raw} limited to the volume's size; CHAP
 *       secrets go to QEMU through {@code --object secret,file=…} (a file readable by root only, removed
 *       afterwards), never on the command line.</li>
 *   <li>{@code -S 0} (every block written) unless the destination reads as zeros, then
 *       {@code --target-is-zero} (zero blocks skipped); {@code -W} (writes out of order: the coroutines keep
 *       the network busy).</li>
 *   <li>Progress from {@code -p}'s percentages; a cancel ends the process.</li>
 *   <li>A bandwidth limit is kept by pacing the process ({@link ProcessPacer}, on the bytes it reads) when
 *       the source is local, so a change while it runs takes hold; with a remote source (whose socket reads
 *       {@code /proc/PID/io} does not count) the limit in force at the start is given to {@code -r}.</li>
 * </ul>
 */
public final class QemuImgCopyEngine {

    private static final Logger LOG = LoggerFactory.getLogger(QemuImgCopyEngine.class);
    private static final Pattern PERCENT = Pattern.compile("\\((\\d+(?:\\.\\d+)?)/100%\\)");

    private final long bytesPerSecondLimit;

    /** With the backend's bandwidth limit ({@code volume_copy_bps_limit}, bytes/s, 0 = none). */
    public QemuImgCopyEngine(long bytesPerSecondLimit) {
        this.bytesPerSecondLimit = bytesPerSecondLimit;
    }

    /** Whether {@code qemu-img} and its iSCSI block driver are installed. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("qemu-img", "--help").redirectErrorStream(true).start();
            String help = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            return help.contains("iscsi") || Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so"));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Logs in to an iSCSI endpoint and reads its size ({@code qemu-img info}); a refused login throws. */
    public long probe(CopyEndpoint endpoint) {
        Path secrets = secretsDir();
        try {
            List<String> argv = new ArrayList<>(List.of("qemu-img", "info", "--output=json"));
            addSecret(argv, secrets, "s0", endpoint);
            argv.addAll(List.of("--image-opts", endpoint.imageOpts("s0")));
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new VolumeDriverException("cannot open " + endpoint + ": " + out.strip());
            }
            Matcher m = Pattern.compile("\"virtual-size\":\\s*(\\d+)").matcher(out);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            throw new VolumeDriverException("cannot run qemu-img: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeDriverException("probe interrupted", e);
        } finally {
            deleteTree(secrets);
        }
    }

    /** The argument vector (secrets by reference to files in {@code secrets}). */
    List<String> argv(CopyEndpoint source, CopyEndpoint destination, long bytes, boolean sparse, long fixedLimit,
                      Path secrets) throws IOException {
        List<String> argv = new ArrayList<>(List.of("qemu-img", "convert", "-p", "-n", "-W"));
        addSecret(argv, secrets, "src", source);
        addSecret(argv, secrets, "dst", destination);
        argv.addAll(sparse ? List.of("--target-is-zero") : List.of("-S", "0"));
        if (fixedLimit > 0) {
            argv.addAll(List.of("-r", Long.toString(fixedLimit)));
        }
        argv.addAll(List.of("--image-opts", "--target-image-opts",
                sized(source.imageOpts("src"), bytes), sized(destination.imageOpts("dst"), bytes)));
        return argv;
    }

    /** Copies {@code bytes} bytes from {@code source} to {@code destination} under {@code control}. */
    public void copy(CopyEndpoint source, CopyEndpoint destination, long bytes, boolean sparse,
                     CopyEngine.Progress progress, CopyControl control) {
        control.throwIfCancelled();
        LongSupplier limit = () -> control.bpsLimit() >= 0 ? control.bpsLimit() : bytesPerSecondLimit;
        boolean pace = source instanceof CopyEndpoint.Local && ProcessPacer.possible();
        Path secrets = secretsDir();
        try {
            List<String> argv = argv(source, destination, bytes, sparse, pace ? 0 : limit.getAsLong(), secrets);
            LOG.info("qemu-img convert {} -> {} ({} bytes, sparse={}, limit={} B/s{})", source, destination, bytes,
                    sparse, limit.getAsLong(), pace ? ", paced" : "");
            ProcessPacer.Paced started = ProcessPacer.start(argv, pace, limit, control::applied);
            Process p = started.process();
            ProcessPacer pacer = started.pacer();
            if (!pace) {
                control.applied(limit.getAsLong());
            }
            control.onCancel(() -> {
                p.destroy();
                if (pacer != null) {
                    pacer.resume();
                }
            });
            String output;
            boolean exited;
            try {
                output = readProgress(new BufferedInputStream(p.getInputStream()), bytes, progress);
                exited = p.waitFor(6, TimeUnit.HOURS);
            } finally {
                if (pacer != null) {
                    pacer.close();
                }
            }
            if (control.cancelled()) {
                p.destroyForcibly();
                throw new CopyCancelledException();
            }
            if (!exited || p.exitValue() != 0) {
                throw new VolumeDriverException("qemu-img convert " + source + " -> " + destination + " failed: "
                        + tail(output));
            }
            progress.copied(bytes);
        } catch (IOException e) {
            throw new VolumeDriverException("cannot run qemu-img: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeDriverException("copy interrupted", e);
        } finally {
            deleteTree(secrets);
        }
    }

    private static String sized(String imageOpts, long bytes) {
        // raw's size option: exactly the volume's bytes, whatever the backing object rounds up to.
        return imageOpts.replaceFirst("^driver=raw", "driver=raw,size=" + bytes);
    }

    static String readProgress(InputStream in, long bytes, CopyEngine.Progress progress) throws IOException {
        StringBuilder all = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\r' || c == '\n') {
                Matcher m = PERCENT.matcher(line);
                if (m.find()) {
                    progress.copied((long) (bytes * Double.parseDouble(m.group(1)) / 100));
                } else if (!line.toString().isBlank()) {
                    all.append(line).append('\n');
                }
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        return all.append(line).toString();
    }

    private static void addSecret(List<String> argv, Path dir, String id, CopyEndpoint endpoint) throws IOException {
        if (endpoint instanceof CopyEndpoint.Iscsi i && i.user() != null) {
            Path file = dir.resolve(id);
            Files.writeString(file, i.password());
            argv.addAll(List.of("--object", "secret,id=" + id + ",file=" + file));
        }
    }

    private static Path secretsDir() {
        try {
            return Files.createTempDirectory("jcinder-chap-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new VolumeDriverException("cannot create a private directory for CHAP secrets: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not remove {}: {}", dir, e.getMessage());
        }
    }

    private static String tail(String output) {
        String s = output.strip();
        return s.length() > 500 ? s.substring(s.length() - 500) : s;
    }
}
