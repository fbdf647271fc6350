package org.openstack.jcinder.volume.copy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.common.volume.ConnectionInfo;

/**
 * One side of a copy as the connector sees it (os-brick's role): a file or block device on this host, or an
 * iSCSI LUN reached by the user-space initiator (libiscsi, through QEMU's {@code iscsi} block driver), which
 * needs no kernel initiator ({@code iscsi_tcp}) and no device node.
 */
public sealed interface CopyEndpoint {

    /** What QEMU's {@code --image-opts} says to open this endpoint as raw data. */
    String imageOpts(String secretId);

    /** A file or block device on this host. */
    record Local(Path path) implements CopyEndpoint {
        @Override
        public String imageOpts(String secretId) {
            String driver = Files.isRegularFile(path) ? "file" : "host_device";
            return "driver=raw,file.driver=" + driver + ",file.filename=" + escape(path.toString());
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** An iSCSI LUN; {@code user}/{@code password} are the CHAP credentials (null: no authentication). */
    record Iscsi(String portal, String iqn, int lun, String user, String password) implements CopyEndpoint {
        @Override
        public String imageOpts(String secretId) {
            String opts = "driver=raw,file.driver=iscsi,file.transport=tcp,file.portal=" + escape(portal)
                    + ",file.target=" + escape(iqn) + ",file.lun=" + lun;
            if (user != null) {
                opts += ",file.user=" + escape(user) + ",file.password-secret=" + secretId;
            }
            return opts;
        }

        /** The libiscsi URL without the secret, for logs. */
        @Override
        public String toString() {
            return "iscsi://" + (user == null ? "" : user + "@") + portal + "/" + iqn + "/" + lun;
        }
    }

    /** The endpoint of a connection as a driver answered it: an iSCSI export, else its local path. */
    static CopyEndpoint of(ConnectionInfo info) {
        if (!info.exported()) {
            return new Local(Path.of(info.path()));
        }
        Map<String, Object> d = info.data();
        Object portal = d.get("target_portal");
        Object iqn = d.get("target_iqn");
        if (portal == null || iqn == null) {
            throw new VolumeDriverException("iSCSI connection without target_portal/target_iqn: " + d.keySet());
        }
        int lun = d.get("target_lun") instanceof Number n ? n.intValue()
                : Integer.parseInt(String.valueOf(d.getOrDefault("target_lun", "0")));
        boolean chap = "CHAP".equalsIgnoreCase(String.valueOf(d.get("auth_method")));
        return new Iscsi(portal.toString(), iqn.toString(), lun,
                chap ? String.valueOf(d.get("auth_username")) : null,
                chap ? String.valueOf(d.get("auth_password")) : null);
    }

    /** QEMU's option syntax doubles a comma inside a value. */
    private static String escape(String value) {
        return value.replace(",", ",,");
    }
}
