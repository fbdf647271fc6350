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
import org.springframework.stereotype.Component;

/**
 * {@code dd} with the arguments Cinder's {@code volume_utils.copy_volume} builds:
 * {@code dd if=SRC of=DST count=BYTES bs=1M iflag=count_bytes [conv=sparse]}, run without a shell, plus
 * {@code status=progress} so the bytes copied can be read while it runs (GNU dd prints them about once a
 * second). Direct I/O flags are not used yet (Cinder adds them only after probing that both sides accept them).
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
        argv.add("status=progress");
        return argv;
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

    @Override
    public void copy(Path source, Path destination, long bytes, boolean sparse, Progress progress,
                     CopyControl control) {
        control.throwIfCancelled();
        List<String> argv = argv(source, destination, bytes, sparse);
        try {
            Process dd = new ProcessBuilder(argv).redirectErrorStream(true).start();
            // dd cannot be asked to stop between blocks: a cancel ends the process (SIGTERM).
            control.onCancel(dd::destroy);
            String output = readProgress(new BufferedInputStream(dd.getInputStream()), progress);
            boolean exited = dd.waitFor(1, TimeUnit.HOURS);
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
