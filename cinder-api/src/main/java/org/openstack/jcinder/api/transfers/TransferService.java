package org.openstack.jcinder.api.transfers;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.volumes.VolumeApiService;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.TransferEntity;
import org.openstack.jcinder.common.db.TransferRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidVolumeException;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.openstack.jcinder.common.exception.VolumeNotFoundException;
import org.openstack.jcinder.common.quota.OverQuotaException;
import org.openstack.jcinder.common.quota.QuotaErrors;
import org.openstack.jcinder.common.quota.QuotaReservations;
import org.openstack.jcinder.common.quota.QuotaResources;
import org.openstack.jcinder.common.quota.VolumeQuotas;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Cinder's transfer API ({@code cinder/transfer/api.py}): create offers an available volume (it becomes
 * {@code awaiting-transfer}), accept with the right key gives it to the caller's project and user (back to
 * {@code available}, its quota usage moved from the donor to the receiver in the same transaction), delete
 * withdraws the offer. The volume service is not involved: Cinder's drivers do nothing on a transfer but
 * the ownership change, which is a row update here.
 */
@Service
public class TransferService {

    private static final Logger LOG = LoggerFactory.getLogger(TransferService.class);
    /** Cinder's volume_transfer_salt_length and volume_transfer_key_length defaults. */
    static final int SALT_LENGTH = 8;
    static final int KEY_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    public record Created(TransferEntity transfer, String authKey) {
    }

    private final TransferRepository transfers;
    private final VolumeRepository volumes;
    private final VolumeQuotas volumeQuotas;
    private final QuotaReservations reservations;
    private final PolicyEnforcer policy;

    public TransferService(TransferRepository transfers, VolumeRepository volumes, VolumeQuotas volumeQuotas,
                           QuotaReservations reservations, PolicyEnforcer policy) {
        this.transfers = transfers;
        this.volumes = volumes;
        this.volumeQuotas = volumeQuotas;
        this.reservations = reservations;
        this.policy = policy;
    }

    @Transactional
    public Created create(ApiRequest req, String volumeId, String name, boolean noSnapshots,
                          boolean allowEncrypted) {
        VolumeEntity v = volumes.findByIdAndDeletedFalse(volumeId)
                .filter(found -> policy.sees(req, found.getProjectId()))
                .orElseThrow(() -> new VolumeNotFoundException(volumeId));
        policy.authorize(req, TransferPolicies.CREATE, VolumeApiService.target(v));
        if (v.getStatus() != VolumeStatus.AVAILABLE) {
            throw new InvalidVolumeException("status must be available");
        }
        if (v.isEncrypted()) {
            if (!allowEncrypted) {
                throw new InvalidVolumeException("transferring encrypted volume is not supported");
            }
            if (noSnapshots) {
                throw new InvalidVolumeException("transferring an encrypted volume without its snapshots is not "
                        + "supported");
            }
        }
        if (!noSnapshots) {
            List<String> busy = transfers.unavailableSnapshots(volumeId);
            if (!busy.isEmpty()) {
                throw new CinderException(400, "Invalid snapshot: snapshot: " + busy.get(0)
                        + " status must be available");
            }
        }
        String salt = randomHex(SALT_LENGTH);
        String authKey = randomHex(KEY_LENGTH);
        TransferEntity t = new TransferEntity();
        t.setId(UUID.randomUUID().toString());
        t.setVolumeId(volumeId);
        t.setDisplayName(name);
        t.setSalt(salt);
        t.setCryptHash(cryptHash(salt, authKey));
        t.setNoSnapshots(noSnapshots);
        t.setSourceProjectId(v.getProjectId());
        t.setCreatedAt(Clock.now());
        if (volumes.compareAndSetStatus(volumeId, List.of(VolumeStatus.AVAILABLE), VolumeStatus.AWAITING_TRANSFER,
                Clock.now()) == 0) {
            throw new InvalidVolumeException("Transfer " + t.getId() + ": Volume id " + volumeId
                    + " expected in available state.");
        }
        transfers.saveAndFlush(t);
        LOG.info("[{}] Transfer {} of volume {} created by project {}", req.context().requestId(), t.getId(),
                volumeId, req.projectId());
        return new Created(t, authKey);
    }

    /** Cinder's transfer_get: an administrator sees any, others only those of volumes their project owns. */
    public TransferEntity get(ApiRequest req, String id) {
        policy.authorize(req, TransferPolicies.GET);
        return visible(req, id);
    }

    public List<TransferEntity> list(ApiRequest req, boolean allTenants) {
        policy.authorize(req, TransferPolicies.GET_ALL);
        return allProjects(req, allTenants) ? transfers.findAllOpen() : transfers.findAllOpenInProject(req.projectId());
    }

    /** Cinder drops all_tenants for a non-admin context rather than refusing it. */
    public boolean allProjects(ApiRequest req, boolean allTenants) {
        return allTenants && policy.isAdmin(req);
    }

    @Transactional
    public void delete(ApiRequest req, String id) {
        TransferEntity t = visible(req, id);
        VolumeEntity v = volumes.findByIdAndDeletedFalse(t.getVolumeId())
                .orElseThrow(() -> new VolumeNotFoundException(t.getVolumeId()));
        policy.authorize(req, TransferPolicies.DELETE, VolumeApiService.target(v));
        if (volumes.compareAndSetStatus(v.getId(), List.of(VolumeStatus.AWAITING_TRANSFER), VolumeStatus.AVAILABLE,
                Clock.now()) == 0) {
            // Cinder's transfer_destroy: the record goes anyway, the volume's status stays as it is.
            LOG.error("Transfer {}: Volume expected in awaiting-transfer state.", id);
        }
        transfers.close(id, false, null, Clock.now());
        LOG.info("[{}] Transfer {} of volume {} deleted", req.context().requestId(), id, v.getId());
    }

    /**
     * The key is checked before anything else is looked at; then the receiver's quota is taken (Cinder's 413
     * when it is full), the donor's given back and the volume handed over, all or nothing.
     */
    @Transactional
    public TransferEntity accept(ApiRequest req, String id, String authKey) {
        policy.authorize(req, TransferPolicies.ACCEPT);
        TransferEntity t = transfers.findOpen(id).orElseThrow(() -> notFound(id));
        if (!MessageDigest.isEqual(cryptHash(t.getSalt(), authKey).getBytes(StandardCharsets.US_ASCII),
                t.getCryptHash().getBytes(StandardCharsets.US_ASCII))) {
            LOG.error("[{}] Attempt to transfer {} with invalid auth key.", req.context().requestId(), id);
            throw new CinderException(400, "Invalid auth key: Attempt to transfer " + id + " with invalid auth key.");
        }
        VolumeEntity v = volumes.findByIdAndDeletedFalse(t.getVolumeId())
                .orElseThrow(() -> notFound(id));
        String receiver = req.projectId();
        String donor = v.getProjectId();
        volumeQuotas.checkSizeLimit(receiver, v.getSize());
        if (v.getStatus() == VolumeStatus.MAINTENANCE) {
            throw new InvalidVolumeException("The volume cannot accept transfer in maintenance mode.");
        }
        Map<String, Integer> deltas = QuotaResources.volume(volumeQuotas.typeName(v.getVolumeTypeId()), v.getSize());
        if (v.isUseQuota()) {
            try {
                reservations.consume(receiver, deltas);
            } catch (OverQuotaException e) {
                throw QuotaErrors.forCreate(e, QuotaResources.VOLUMES, v.getSize());
            }
            reservations.release(donor, deltas);
        }
        List<SnapshotEntity> snaps = t.isNoSnapshots() ? List.of() : transfers.snapshotsOf(v.getId());
        if (!snaps.isEmpty()) {
            moveSnapshotQuota(receiver, donor, v, snaps);
        }
        if (transfers.giveVolume(v.getId(), receiver, req.context().userId(), Clock.now()) == 0) {
            throw new InvalidVolumeException("Transfer " + id + ": Volume id " + v.getId()
                    + " expected in awaiting-transfer state.");
        }
        if (!snaps.isEmpty()
                && transfers.giveSnapshots(v.getId(), receiver, req.context().userId(), Clock.now()) != snaps.size()) {
            String busy = snaps.stream().filter(s -> !"available".equals(s.getStatus())).map(SnapshotEntity::getId)
                    .findFirst().orElse(snaps.get(0).getId());
            // The transaction rolls the volume and the quota back with it.
            throw new CinderException(400, "Invalid snapshot: Transfer " + id + ": Snapshot " + busy
                    + " is not in the expected available state.");
        }
        transfers.close(id, true, receiver, Clock.now());
        LOG.info("[{}] Volume {} has been transferred from project {} to project {} (transfer {})",
                req.context().requestId(), v.getId(), donor, receiver, id);
        return t;
    }

    /**
     * Cinder's _handle_snapshot_quota: the receiver takes {@code snapshots} and their {@code gigabytes} (and
     * the per-type pair; 413 when full), the donor gives them back.
     */
    private void moveSnapshotQuota(String receiver, String donor, VolumeEntity v, List<SnapshotEntity> snaps) {
        if (!v.isUseQuota()) {
            return;
        }
        int gigabytes = snaps.stream().mapToInt(SnapshotEntity::getVolumeSize).sum();
        String type = volumeQuotas.typeName(v.getVolumeTypeId());
        Map<String, Integer> deltas = new java.util.LinkedHashMap<>();
        deltas.put(QuotaResources.SNAPSHOTS, snaps.size());
        deltas.put(QuotaResources.GIGABYTES, gigabytes);
        if (type != null) {
            deltas.put(QuotaResources.SNAPSHOTS + "_" + type, snaps.size());
            deltas.put(QuotaResources.GIGABYTES + "_" + type, gigabytes);
        }
        try {
            reservations.consume(receiver, deltas);
        } catch (OverQuotaException e) {
            throw QuotaErrors.forCreate(e, QuotaResources.SNAPSHOTS, gigabytes);
        }
        reservations.release(donor, deltas);
    }

    private TransferEntity visible(ApiRequest req, String id) {
        return (policy.isAdmin(req) ? transfers.findOpen(id) : transfers.findOpenInProject(id, req.projectId()))
                .orElseThrow(() -> notFound(id));
    }

    static NotFoundException notFound(String id) {
        return new NotFoundException("Transfer " + id + " could not be found.");
    }

    /** Hex digits only, as Cinder's: whoever receives the key types it in. */
    static String randomHex(int length) {
        byte[] bytes = new byte[(length + 1) / 2];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes).substring(0, length);
    }

    /** Cinder's crypt hash: HMAC-SHA1 of the key with the salt as the HMAC key, in hex. */
    static String cryptHash(String salt, String authKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return HexFormat.of().formatHex(mac.doFinal(authKey.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }
}
