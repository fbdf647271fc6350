package org.openstack.jcinder.compute.instance;

/**
 * Nova's BDM for a volume: which Cinder volume and attachment, and where the guest sees it ({@code /dev/vdb};
 * the hypervisor's target is the last path segment).
 */
public record BlockDeviceMapping(String uuid, String volumeId, String attachmentId, String device, String tag,
                                 boolean deleteOnTermination) {

    public String target() {
        return device.substring(device.lastIndexOf('/') + 1);
    }

    public BlockDeviceMapping swappedTo(String newVolumeId, String newAttachmentId) {
        return new BlockDeviceMapping(uuid, newVolumeId, newAttachmentId, device, tag, deleteOnTermination);
    }
}
