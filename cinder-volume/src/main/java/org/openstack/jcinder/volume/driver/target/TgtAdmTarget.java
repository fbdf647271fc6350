package org.openstack.jcinder.volume.driver.target;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.common.volume.ConnectionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code target_helper = tgtadm}: exports through Debian's user-space {@code tgtd}, the way Cinder's
 * {@code TgtAdm} does. Each export is one file {@code volumes_dir/<volume name>} holding a {@code <target>}
 * block (backing store, {@code driver iscsi}, {@code incominguser} with the volume's CHAP user and secret,
 * {@code write-cache on}, {@code scsi_sn}/{@code scsi_id}), applied with {@code tgt-admin --update <iqn>}; the
 * IQN is {@code target_prefix} + the volume's name and the LUN is 1 (tgtd's LUN 0 is its controller).
 * Removal is {@code tgt-admin --delete <iqn> -f}, then the file goes.
 * <p>
 * One difference from Cinder: the CHAP user and secret are created for each export and kept in the export
 * file while it exists (Cinder keeps them in the volume's {@code provider_auth} row); a re-export of a volume
 * that is still exported answers the same credentials. {@code tgt-admin} is pointed at that file
 * ({@code -c}), so tgtd's own {@code targets.conf} need not include {@code volumes_dir}.
 */
public final class TgtAdmTarget implements VolumeTarget {

    private static final Logger LOG = LoggerFactory.getLogger(TgtAdmTarget.class);
    private static final int LUN = 1;
    private static final String ALPHANUM = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final Pattern CHAP = Pattern.compile("(?m)^\\s*incominguser\\s+(\\S+)\\s+(\\S+)\\s*$");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9+_.:\\-]{1,200}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a backend section says about its exports ({@link TargetOptions}). */
    public record Settings(String prefix, String ipAddress, int port, Path volumesDir, int controlPort) {
    }

    private final Settings settings;

    public TgtAdmTarget(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public void setup() {
        try {
            Files.createDirectories(settings.volumesDir());
        } catch (IOException e) {
            throw new VolumeDriverException("cannot create volumes_dir " + settings.volumesDir() + ": "
                    + e.getMessage(), e);
        }
        Result r = run(tgtadm("--lld", "iscsi", "--op", "show", "--mode", "target"));
        if (r.exit() != 0) {
            throw new VolumeDriverException("tgtd does not answer (target_helper = tgtadm, control port "
                    + settings.controlPort() + "): " + r.output().strip());
        }
    }

    /** The IQN of {@code volume}'s export: {@code target_prefix} + the volume's name on the backend. */
    public String iqn(VolumeEntity volume) {
        return settings.prefix() + volume.backendName();
    }

    /** The portal initiators are given: {@code ip:port}, an IPv6 address in brackets. */
    public String portal() {
        String ip = settings.ipAddress();
        return (ip.contains(":") && !ip.startsWith("[") ? "[" + ip + "]" : ip) + ":" + settings.port();
    }

    @Override
    public synchronized ConnectionInfo export(VolumeEntity volume, ConnectionInfo local) {
        String name = safe(volume.backendName());
        String iqn = safe(iqn(volume));
        if (local.path() == null || local.path().isBlank()) {
            throw new VolumeDriverException("volume " + volume.getId() + " has no local device to export");
        }
        Path file = settings.volumesDir().resolve(name);
        String[] chap = existingChap(file).orElseGet(() -> new String[] {random(20), random(16)});
        String conf = "<target " + iqn + ">\n"
                + "    backing-store " + local.path() + "\n"
                + "    driver iscsi\n"
                + "    incominguser " + chap[0] + " " + chap[1] + "\n"
                + "    write-cache on\n"
                + "    scsi_sn " + volume.getId() + "\n"
                + "    scsi_id " + volume.getId() + "\n"
                + "</target>\n";
        writePrivate(file, conf);
        Result update = run(tgtAdmin("-c", file.toString(), "--update", iqn));
        if (update.exit() != 0 && !update.output().contains("already exists")) {
            deleteQuietly(file);
            throw new VolumeDriverException("tgt-admin --update " + iqn + " failed: " + update.output().strip());
        }
        if (!showsLun(iqn)) {
            removeTarget(iqn);
            deleteQuietly(file);
            throw new VolumeDriverException("iSCSI target " + iqn + " was not created with LUN " + LUN
                    + " (tgtd on control port " + settings.controlPort() + ")");
        }
        LOG.info("Volume {}: exported {} as {} on {} (LUN {}, CHAP user {})", volume.getId(), local.path(), iqn,
                portal(), LUN, chap[0]);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("target_discovered", false);
        data.put("target_portal", portal());
        data.put("target_iqn", iqn);
        data.put("target_lun", LUN);
        data.put("volume_id", volume.getId());
        data.put("auth_method", "CHAP");
        data.put("auth_username", chap[0]);
        data.put("auth_password", chap[1]);
        data.put("encrypted", false);
        return new ConnectionInfo(ConnectionInfo.ISCSI, local.path(), data);
    }

    @Override
    public synchronized void removeExport(VolumeEntity volume) {
        removeExport(volume.backendName(), volume.getId());
    }

    @Override
    public synchronized void removeExport(String name) {
        removeExport(name, name);
    }

    /**
     * Either half may be missing after a crash (the file written but the target not yet created, or the target
     * deleted but not yet the file): whichever is there goes, so a delete never fails on a half-removed export.
     */
    private void removeExport(String name, String volume) {
        String iqn = safe(settings.prefix() + safe(name));
        Path file = settings.volumesDir().resolve(name);
        boolean present = Files.exists(file);
        if (!present && !exported(iqn)) {
            return;
        }
        removeTarget(iqn);
        if (exported(iqn)) {
            // Cinder's "silent failure" retry: tgt-admin sometimes answers 0 and leaves the target.
            removeTarget(iqn);
            if (exported(iqn)) {
                throw new VolumeDriverException("iSCSI target " + iqn + " of volume " + volume
                        + " could not be removed");
            }
        }
        deleteQuietly(file);
        LOG.info("Volume {}: export {} removed", volume, iqn);
    }

    /** The export files in {@code volumes_dir} and tgtd's targets under {@code target_prefix}, by volume name. */
    @Override
    public synchronized List<Export> exports() {
        Map<String, Export> found = new LinkedHashMap<>();
        if (Files.isDirectory(settings.volumesDir())) {
            try (var files = Files.list(settings.volumesDir())) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (!name.startsWith(".") && SAFE.matcher(name).matches()) {
                        found.put(name, new Export(name, Files.getLastModifiedTime(f).toInstant()));
                    }
                }
            } catch (IOException e) {
                throw new VolumeDriverException("cannot list volumes_dir " + settings.volumesDir() + ": "
                        + e.getMessage(), e);
            }
        }
        Result r = run(tgtadm("--lld", "iscsi", "--op", "show", "--mode", "target"));
        if (r.exit() != 0) {
            throw new VolumeDriverException("tgtadm --op show failed: " + r.output().strip());
        }
        Matcher m = Pattern.compile("(?m)^Target \\d+: (\\S+)$").matcher(r.output());
        while (m.find()) {
            String iqn = m.group(1);
            if (iqn.startsWith(settings.prefix())) {
                String name = iqn.substring(settings.prefix().length());
                if (SAFE.matcher(name).matches()) {
                    found.putIfAbsent(name, new Export(name, null));
                }
            }
        }
        return List.copyOf(found.values());
    }

    /** Whether tgtd has a target named {@code iqn} now. */
    public boolean exported(String iqn) {
        return targetBlock(iqn).isPresent();
    }

    private void removeTarget(String iqn) {
        Result r = run(tgtAdmin("--delete", iqn, "-f"));
        if (r.exit() != 0 && !r.output().contains("can't find the target")
                && !r.output().contains("access control rule does not exist")) {
            throw new VolumeDriverException("tgt-admin --delete " + iqn + " failed: " + r.output().strip());
        }
    }

    private boolean showsLun(String iqn) {
        return targetBlock(iqn).map(b -> b.contains("LUN: " + LUN + "\n")).orElse(false);
    }

    /** The lines {@code tgtadm --op show} prints about {@code iqn}, up to the next target. */
    private Optional<String> targetBlock(String iqn) {
        Result r = run(tgtadm("--lld", "iscsi", "--op", "show", "--mode", "target"));
        if (r.exit() != 0) {
            throw new VolumeDriverException("tgtadm --op show failed: " + r.output().strip());
        }
        Matcher m = Pattern.compile("(?m)^Target \\d+: " + Pattern.quote(iqn) + "$").matcher(r.output());
        if (!m.find()) {
            return Optional.empty();
        }
        String rest = r.output().substring(m.end());
        int next = rest.indexOf("\nTarget ");
        return Optional.of(next < 0 ? rest : rest.substring(0, next + 1));
    }

    private static Optional<String[]> existingChap(Path file) {
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            Matcher m = CHAP.matcher(Files.readString(file));
            return m.find() ? Optional.of(new String[] {m.group(1), m.group(2)}) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String random(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(ALPHANUM.charAt(RANDOM.nextInt(ALPHANUM.length())));
        }
        return s.toString();
    }

    /** Written whole (temporary file, then a rename), readable by root only: it holds the CHAP secret. */
    private static void writePrivate(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".tmp-", "",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, content);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new VolumeDriverException("cannot write the export file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete the export file {}: {}", file, e.getMessage());
        }
    }

    private static String safe(String name) {
        if (name == null || !SAFE.matcher(name).matches()) {
            throw new VolumeDriverException("unsafe name for an iSCSI export: " + name);
        }
        return name;
    }

    private List<String> tgtadm(String... args) {
        List<String> argv = new ArrayList<>(List.of("tgtadm"));
        if (settings.controlPort() > 0) {
            argv.addAll(List.of("-C", Integer.toString(settings.controlPort())));
        }
        argv.addAll(List.of(args));
        return argv;
    }

    private List<String> tgtAdmin(String... args) {
        List<String> argv = new ArrayList<>(List.of("tgt-admin"));
        if (settings.controlPort() > 0) {
            argv.addAll(List.of("-C", Integer.toString(settings.controlPort())));
        }
        argv.addAll(List.of(args));
        return argv;
    }

    private record Result(int exit, String output) {
    }

    /** Runs a command without a shell; its output (both streams) for the messages. */
    private static Result run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new VolumeDriverException(String.join(" ", argv) + " timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new VolumeDriverException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeDriverException(argv.get(0) + " interrupted", e);
        }
    }
}
