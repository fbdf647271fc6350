package org.openstack.jcinder.api.types;

import java.util.Objects;
import java.util.Optional;

import org.openstack.jcinder.common.db.EncryptionEntity;
import org.openstack.jcinder.common.db.EncryptionRepository;
import org.openstack.jcinder.common.db.QosSpecsRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeTypeEntity;
import org.openstack.jcinder.common.db.VolumeTypeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidVolumeException;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.springframework.stereotype.Component;

/**
 * What the volume types allow of a retype, checked by the API before the volume changes state:
 * <ul>
 *   <li>Cinder's QoS rule: an in-use volume may not move to a type whose QoS specs differ when either side's
 *       specs are enforced by the front-end (consumer {@code front-end} or {@code both}): the hypervisor
 *       applies them and cannot be told. Cinder folds this into its retype precondition, with its message.</li>
 *   <li>Cinder's rule that a multiattach type may not be encrypted.</li>
 *   <li>This service's own limit: a retype that changes the encryption (encrypted to plain, plain to encrypted,
 *       or another encryption spec) needs a dm-crypt copy, which it does not have yet, so it is refused.</li>
 * </ul>
 */
@Component
public class RetypeRules {

    /** Cinder's message when its conditional update for a retype matches nothing. */
    public static final String PRECONDITION = "Retype needs volume to be in available or in-use state, not be part "
            + "of an active migration or a consistency group, requested type has to be different that the one "
            + "from the volume, and for in-use volumes front-end qos specs cannot change.";

    private final VolumeTypeRepository types;
    private final QosSpecsRepository qos;
    private final EncryptionRepository encryptions;

    public RetypeRules(VolumeTypeRepository types, QosSpecsRepository qos, EncryptionRepository encryptions) {
        this.types = types;
        this.qos = qos;
        this.encryptions = encryptions;
    }

    public void check(VolumeEntity volume, VolumeTypeEntity newType) {
        Optional<EncryptionEntity> newEncryption = encryptions.findByVolumeTypeId(newType.getId());
        if ("<is> True".equals(newType.getExtraSpecs().get("multiattach")) && newEncryption.isPresent()) {
            throw new CinderException(400, "Invalid input received: Retype requested both encryption and "
                    + "multi-attach, which is not supported.");
        }
        String oldTypeId = volume.getVolumeTypeId();
        if (oldTypeId == null || oldTypeId.equals(newType.getId())) {
            return; // the precondition's "different type" check answers this one
        }
        Optional<EncryptionEntity> oldEncryption = encryptions.findByVolumeTypeId(oldTypeId);
        if (!sameEncryption(oldEncryption, newEncryption)) {
            throw new CinderException(400, "Invalid input received: Retype between volume types with different "
                    + "encryption is not supported: it needs a dm-crypt copy of the volume, which this service "
                    + "does not have.");
        }
        if (volume.getStatus() == VolumeStatus.IN_USE && !qosAllowsInUseRetype(oldTypeId, newType)) {
            throw new InvalidVolumeException(PRECONDITION);
        }
    }

    private static boolean sameEncryption(Optional<EncryptionEntity> a, Optional<EncryptionEntity> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() && b.isEmpty();
        }
        EncryptionEntity x = a.get();
        EncryptionEntity y = b.get();
        return Objects.equals(x.getProvider(), y.getProvider()) && Objects.equals(x.getCipher(), y.getCipher())
                && Objects.equals(x.getKeySize(), y.getKeySize())
                && Objects.equals(x.getControlLocation(), y.getControlLocation());
    }

    /** Cinder's {@code volume_qos_allows_retype} for an in-use volume. */
    private boolean qosAllowsInUseRetype(String oldTypeId, VolumeTypeEntity newType) {
        String oldQos = types.findById(oldTypeId).map(VolumeTypeEntity::getQosSpecsId).orElse(null);
        String newQos = newType.getQosSpecsId();
        if (Objects.equals(oldQos, newQos)) {
            return true;
        }
        return backEndOnly(oldQos) && backEndOnly(newQos);
    }

    private boolean backEndOnly(String qosSpecsId) {
        return qosSpecsId == null
                || qos.findById(qosSpecsId).map(s -> "back-end".equals(s.getConsumer())).orElse(true);
    }
}
