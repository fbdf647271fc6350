package org.openstack.jcinder.compute.virt.simulated;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openstack.jcinder.compute.virt.HypervisorException;
import org.openstack.jcinder.compute.virt.IscsiTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated hypervisor's iSCSI initiator: this host has no kernel initiator ({@code iscsi_tcp}), so a LUN is
 * logged into in user space by QEMU's {@code iscsi} block driver (libiscsi, package {@code qemu-block-extra}, the
 * same initiator Cinder's copy uses) inside a {@code qemu-storage-daemon}, which exports it as a regular file
 * through FUSE. The guest's I/O and the mirror then go through that file like through a local device: a read or
 * write is a SCSI command to the target, an fsync is a SYNCHRONIZE CACHE. The CHAP secret is handed over in a
 * 0600 file that is deleted once the daemon has read it, never on a command line.
 * <p>
 * {@link #close()} stops the daemon (SIGTERM unmounts the file and logs out of the target).
 */
final class IscsiFuseExport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IscsiFuseExport.class);
    private static final long START_TIMEOUT_MS = 30_000;

    private final IscsiTarget lun;
    private final Path file;
    private final Process process;
    private final Path log;

    private IscsiFuseExport(IscsiTarget lun, Path file, Process process, Path log) {
        this.lun = lun;
        this.file = file;
        this.process = process;
        this.log = log;
    }

    /** Logs into {@code lun} and exports it as a file in {@code dir}; returns once the file is the LUN. */
    static IscsiFuseExport open(IscsiTarget lun, Path dir, String name) {
        Path file = dir.resolve(name);
        Path secret = dir.resolve(name + ".secret");
        Path log = dir.resolve(name + ".log");
        Process p = null;
        boolean ok = false;
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            List<String> argv = new ArrayList<>(List.of("qemu-storage-daemon"));
            String auth = "";
            if (lun.chap()) {
                Files.deleteIfExists(secret);
                Files.createFile(secret, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
                Files.writeString(secret, lun.password() == null ? "" : lun.password(), StandardCharsets.UTF_8);
                argv.addAll(List.of("--object", "secret,id=chap,file=" + secret));
                auth = ",user=" + opt(lun.username()) + ",password-secret=chap";
            }
            argv.addAll(List.of(
                    "--blockdev", "driver=iscsi,node-name=lun,transport=tcp,portal=" + opt(lun.portal())
                            + ",target=" + opt(lun.iqn()) + ",lun=" + lun.lun() + auth,
                    "--blockdev", "driver=raw,node-name=disk,file=lun",
                    "--export", "type=fuse,id=exp,node-name=disk,mountpoint=" + opt(file.toString())
                            + ",writable=on,allow-other=off"));
            p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
            while (!mounted(file)) {
                if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new HypervisorException("cannot log into " + lun + ": " + Files.readString(log).strip());
                }
                Thread.sleep(20);
            }
            Files.deleteIfExists(secret);
            LOG.info("Logged into {} (user-space initiator), reached as {}", lun, file);
            ok = true;
            return new IscsiFuseExport(lun, file, p, log);
        } catch (IOException e) {
            stop(p);
            throw new HypervisorException("cannot log into " + lun + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(p);
            throw new HypervisorException("interrupted while logging into " + lun, e);
        } catch (RuntimeException e) {
            stop(p);
            throw e;
        } finally {
            quietlyDelete(secret);
            if (!ok) {
                quietlyDelete(file);
                quietlyDelete(log);
            }
        }
    }

    /** The file that is the LUN while this export runs. */
    Path file() {
        return file;
    }

    IscsiTarget lun() {
        return lun;
    }

    /** QEMU's option syntax: a comma inside a value is doubled. */
    private static String opt(String value) {
        return value.replace(",", ",,");
    }

    private static boolean mounted(Path file) throws IOException {
        // /proc/self/mountinfo: field 5 is the mount point (spaces escaped as \040).
        String mp = file.toString().replace(" ", "\\040");
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].equals(mp)) {
                return true;
            }
        }
        return false;
    }

    private static void stop(Process p) {
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void quietlyDelete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", p, e.getMessage());
        }
    }

    @Override
    public void close() {
        stop(process);
        quietlyDelete(file);
        quietlyDelete(log);
        LOG.info("Logged out of {}", lun);
    }
}
