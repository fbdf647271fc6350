package org.openstack.jcinder.volume.driver.target;

import java.util.List;

import org.openstack.jcinder.common.config.BackendOptions;
import org.openstack.jcinder.shared.config.Option;
import org.openstack.jcinder.shared.config.OptionCatalogue;

/**
 * How a backend exports its volumes to other hosts (Cinder's {@code cinder/volume/targets} options of a backend
 * section). {@code target_helper = tgtadm} exports through Debian's user-space {@code tgtd}; the default here,
 * {@code local}, is this project's: no export, the volume is reached on the backend's own host (Cinder's
 * default is {@code tgtadm}, which needs a running {@code tgtd}).
 */
public final class TargetOptions {

    public static final OptionCatalogue CATALOGUE = new OptionCatalogue();
    private static final String S = BackendOptions.SECTION;

    public static final String LOCAL = "local";
    public static final String TGTADM = "tgtadm";

    public static final Option<String> TARGET_HELPER = CATALOGUE.choice(S, "target_helper", LOCAL,
            List.of(LOCAL, TGTADM), "local (this project's default: volumes are reached on this host only) or "
                    + "tgtadm (exported over iSCSI by tgtd, as Cinder's LVM driver does).");
    public static final Option<String> TARGET_PROTOCOL = CATALOGUE.choice(S, "target_protocol", "iscsi",
            List.of("iscsi"), "Protocol of the exports (tgtadm): iscsi.");
    public static final Option<String> TARGET_IP_ADDRESS = CATALOGUE.string(S, "target_ip_address", "127.0.0.1",
            "Address of the iSCSI portal that initiators are given (Cinder's default is $my_ip).");
    public static final Option<Integer> TARGET_PORT = CATALOGUE.integer(S, "target_port", 3260, 1, 65535,
            "Port of the iSCSI portal.");
    public static final Option<String> TARGET_PREFIX = CATALOGUE.string(S, "target_prefix",
            "iqn.2010-10.org.openstack:", "Prefix of the exports' IQNs; the volume's name follows it.");
    public static final Option<String> VOLUMES_DIR = CATALOGUE.string(S, "volumes_dir", null,
            "Where the export files of tgtd live (one per exported volume, with its CHAP secret); default "
                    + "$state_path/volumes/<backend>.");
    public static final Option<Integer> TGT_CONTROL_PORT = CATALOGUE.integer(S, "tgt_control_port", 0, 0, 65535,
            "This project's: the management port of the tgtd to use (tgtd -C / tgtadm -C), so that several "
                    + "tgtd daemons can run on one machine; 0 = the default daemon.");

    static {
        // Cinder's deprecated names of target_helper and target_ip_address.
        CATALOGUE.ignored(S, "iscsi_helper", "Cinder's old name of target_helper; accepted, no effect here "
                + "(set target_helper).");
        CATALOGUE.ignored(S, "iscsi_ip_address", "Cinder's old name of target_ip_address; accepted, no effect "
                + "here (set target_ip_address).");
    }

    private TargetOptions() {
    }
}
