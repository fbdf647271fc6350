package org.openstack.jcinder.compute.virt.libvirt;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.openstack.jcinder.compute.virt.Disk;
import org.openstack.jcinder.compute.virt.HypervisorDriver.DomainSpec;
import org.openstack.jcinder.compute.virt.HypervisorException;
import org.openstack.jcinder.compute.virt.IscsiTarget;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** The libvirt XML the driver writes (domains, disks, block-copy destinations) and reads back (live disks). */
final class DomainXml {

    private DomainXml() {
    }

    /** What a disk element of the live XML says about one target. */
    record LiveDisk(Disk disk, boolean mirrorReady, Optional<String> mirrorSource) {
    }

    static String domain(String name, DomainSpec spec, String virtType, List<Disk> disks, Optional<KernelBoot> boot) {
        StringBuilder x = new StringBuilder();
        x.append("<domain type='").append(esc(virtType)).append("'>\n");
        x.append("  <name>").append(esc(name)).append("</name>\n");
        uuid(spec.instanceUuid()).ifPresent(u -> x.append("  <uuid>").append(u).append("</uuid>\n"));
        x.append("  <title>").append(esc(spec.name())).append("</title>\n");
        x.append("  <memory unit='MiB'>").append(spec.memoryMb()).append("</memory>\n");
        x.append("  <vcpu>").append(Math.max(1, spec.vcpus())).append("</vcpu>\n");
        x.append("  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n");
        boot.ifPresent(b -> {
            x.append("    <kernel>").append(esc(b.kernel().toString())).append("</kernel>\n");
            x.append("    <initrd>").append(esc(b.initrd().toString())).append("</initrd>\n");
            x.append("    <cmdline>").append(esc(b.cmdline())).append("</cmdline>\n");
        });
        x.append("  </os>\n");
        // ACPI: without it the PCI bus refuses hot-plug, and attachDisk is a hot-plug.
        x.append("  <features><acpi/><apic/></features>\n");
        // A guest that panics or reboots is over; coming back silently would hide it.
        x.append("  <on_reboot>destroy</on_reboot>\n  <on_crash>destroy</on_crash>\n");
        x.append("  <devices>\n");
        for (Disk d : disks) {
            x.append(disk(d)).append('\n');
        }
        boot.flatMap(KernelBoot::consoleLog).ifPresent(log -> x.append("    <serial type='file'><source path='")
                .append(esc(log.toString())).append("'/><target port='0'/></serial>\n"));
        // No graphics on a compute host without a display; SeaBIOS idles fine without a video device.
        x.append("    <video><model type='none'/></video>\n    <memballoon model='none'/>\n");
        x.append("  </devices>\n</domain>\n");
        return x.toString();
    }

    /**
     * The disk as attached: raw, {@code cache='none'} so a guest's flush reaches the host device (what makes a
     * guest's fsync'ed write durable on the volume), virtio, the volume id as serial.
     */
    static String disk(Disk d) {
        if (d.network()) {
            return "    <disk type='network' device='disk'><driver name='qemu' type='raw' cache='none'/>"
                    + networkSource(d.iscsi(), "") + auth(d.iscsi())
                    + "<target dev='" + esc(d.target()) + "' bus='virtio'/>"
                    + (d.serial() == null ? "" : "<serial>" + esc(d.serial()) + "</serial>") + "</disk>";
        }
        String type = d.blockDevice() ? "block" : "file";
        String src = d.blockDevice() ? "dev" : "file";
        return "    <disk type='" + type + "' device='disk'><driver name='qemu' type='raw' cache='none'/>"
                + "<source " + src + "='" + esc(d.source().toString()) + "'/>"
                + "<target dev='" + esc(d.target()) + "' bus='virtio'/>"
                + (d.serial() == null ? "" : "<serial>" + esc(d.serial()) + "</serial>") + "</disk>";
    }

    /**
     * The block-copy destination. A destination larger than the disk gets a storage slice of the disk's size:
     * QEMU's mirror refuses targets of another size, and a raw disk cannot be resized afterwards, so the guest
     * keeps seeing the old capacity on the bigger volume.
     */
    static String copyDestination(Disk d, long sliceBytes) {
        if (d.network()) {
            // QEMU's own iSCSI initiator (libiscsi) reaches the LUN: this host has no kernel initiator.
            return "<disk type='network'><driver type='raw'/>" + networkSource(d.iscsi(), auth(d.iscsi()))
                    + "</disk>";
        }
        String type = d.blockDevice() ? "block" : "file";
        String src = d.blockDevice() ? "dev" : "file";
        String slice = sliceBytes > 0
                ? "<slices><slice type='storage' offset='0' size='" + sliceBytes + "'/></slices>" : "";
        return "<disk type='" + type + "'><driver type='raw'/><source " + src + "='" + esc(d.source().toString())
                + "'>" + slice + "</source></disk>";
    }

    /**
     * A LUN as libvirt's network disk source: {@code name='IQN/LUN'}, the portal as {@code <host>}. The CHAP
     * user's secret is a libvirt secret found by its usage ({@link #secretUsage}), never in the domain XML.
     */
    private static String networkSource(IscsiTarget t, String inside) {
        return "<source protocol='iscsi' name='" + esc(t.iqn() + "/" + t.lun()) + "'><host name='" + esc(t.host())
                + "' port='" + t.port() + "'/>" + inside + "</source>";
    }

    private static String auth(IscsiTarget t) {
        return t.chap() ? "<auth username='" + esc(t.username()) + "'><secret type='iscsi' usage='"
                + esc(secretUsage(t)) + "'/></auth>" : "";
    }

    /** The usage name of the libvirt secret holding a target's CHAP password (one per target, as in Nova). */
    static String secretUsage(IscsiTarget t) {
        return "jcinder-chap-" + t.iqn();
    }

    /** A private (unreadable through the API), persistent libvirt secret for a target's CHAP password. */
    static String secret(IscsiTarget t) {
        return "<secret ephemeral='no' private='yes'><description>CHAP secret of " + esc(t.iqn())
                + " (jcinder)</description><usage type='iscsi'><target>" + esc(secretUsage(t))
                + "</target></usage></secret>";
    }

    static Optional<LiveDisk> liveDisk(String domainXml, String target) {
        Document doc = parse(domainXml);
        NodeList disks = doc.getElementsByTagName("disk");
        for (int i = 0; i < disks.getLength(); i++) {
            Element disk = (Element) disks.item(i);
            Optional<Element> t = child(disk, "target");
            if (t.isEmpty() || !target.equals(t.get().getAttribute("dev"))) {
                continue;
            }
            if ("network".equals(disk.getAttribute("type"))) {
                return networkDisk(disk, target);
            }
            boolean block = "block".equals(disk.getAttribute("type"));
            String path = child(disk, "source").map(s -> block ? s.getAttribute("dev") : s.getAttribute("file"))
                    .orElse("");
            if (path.isEmpty()) {
                return Optional.empty(); // an empty CD-ROM tray or a network disk: nothing this driver manages
            }
            String serial = child(disk, "serial").map(Node::getTextContent).orElse(null);
            Optional<Element> mirror = child(disk, "mirror");
            boolean ready = mirror.map(m -> "yes".equals(m.getAttribute("ready"))).orElse(false);
            Optional<String> mirrorSource = mirror.flatMap(m -> child(m, "source"))
                    .map(s -> s.hasAttribute("dev") ? s.getAttribute("dev") : s.getAttribute("file"));
            return Optional.of(new LiveDisk(new Disk(target, Path.of(path), block, serial), ready, mirrorSource));
        }
        return Optional.empty();
    }

    /** The iSCSI LUNs among a domain's disks (their secrets go with the domain). */
    static List<IscsiTarget> networkDisks(String domainXml) {
        Document doc = parse(domainXml);
        NodeList disks = doc.getElementsByTagName("disk");
        List<IscsiTarget> out = new java.util.ArrayList<>();
        for (int i = 0; i < disks.getLength(); i++) {
            Element disk = (Element) disks.item(i);
            if ("network".equals(disk.getAttribute("type"))) {
                child(disk, "source").flatMap(s -> iscsi(s, child(disk, "auth"))).ifPresent(out::add);
            }
        }
        return out;
    }

    private static Optional<LiveDisk> networkDisk(Element disk, String target) {
        Optional<IscsiTarget> lun = child(disk, "source").flatMap(s -> iscsi(s, child(disk, "auth")));
        if (lun.isEmpty()) {
            return Optional.empty(); // another protocol (rbd, nbd…): nothing this driver manages
        }
        String serial = child(disk, "serial").map(Node::getTextContent).orElse(null);
        Optional<Element> mirror = child(disk, "mirror");
        boolean ready = mirror.map(m -> "yes".equals(m.getAttribute("ready"))).orElse(false);
        Optional<String> mirrorSource = mirror.flatMap(m -> child(m, "source"))
                .map(s -> s.hasAttribute("name") ? s.getAttribute("name") : s.hasAttribute("dev")
                        ? s.getAttribute("dev") : s.getAttribute("file"));
        return Optional.of(new LiveDisk(Disk.iscsi(target, lun.get(), serial), ready, mirrorSource));
    }

    /** An iSCSI source element; the password is not in the XML (it is in the secret). */
    private static Optional<IscsiTarget> iscsi(Element source, Optional<Element> auth) {
        if (!"iscsi".equals(source.getAttribute("protocol"))) {
            return Optional.empty();
        }
        String name = source.getAttribute("name");
        int slash = name.lastIndexOf('/');
        String iqn = slash > 0 ? name.substring(0, slash) : name;
        int lun = slash > 0 ? Integer.parseInt(name.substring(slash + 1)) : 0;
        Optional<Element> host = child(source, "host");
        String address = host.map(h -> h.getAttribute("name")).orElse("");
        String port = host.map(h -> h.getAttribute("port")).orElse("");
        String user = auth.map(a -> a.getAttribute("username")).filter(u -> !u.isEmpty()).orElse(null);
        return Optional.of(new IscsiTarget(address, port.isEmpty() ? 3260 : Integer.parseInt(port), iqn, lun,
                user == null ? null : "CHAP", user, null));
    }

    private static Optional<Element> child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new HypervisorException("libvirt returned domain XML that does not parse: " + e.getMessage(), e);
        }
    }

    private static Optional<String> uuid(String instanceUuid) {
        try {
            return Optional.of(UUID.fromString(instanceUuid).toString());
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // libvirt picks one; the driver finds domains by name
        }
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;")
                .replace("\"", "&quot;");
    }
}
