package org.openstack.jcinder.volume.migration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.common.CommonConfiguration;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.CinderServiceLauncher;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeAttachmentEntity;
import org.openstack.jcinder.common.db.VolumeAttachmentRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.db.VolumeMigrationRepository;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.db.VolumeTypeRepository;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.MigrateVolume;
import org.openstack.jcinder.testsupport.CinderConfFile;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The migration package on its own: the real classes on a real PostgreSQL database (a fresh one per test
 * class), with fakes at the seams — the source driver and copy engine, the destination backend, Nova — so a
 * failure points at one step of one path rather than at a whole flow.
 */
abstract class MigrationTestBase {

    static final String SOURCE = "src-host@one";
    static final String DESTINATION = "src-host@two#two";

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({CommonConfiguration.class, MigrationRecorder.class, MigrationMetrics.class, MigrationTargets.class,
            MigrationCompletion.class, KeptSources.class, VolumeMigratorFactory.class, MigrationQueue.class})
    static class MigrationOnly {
        @Bean
        Fakes.Destination destination(VolumeRepository volumes) {
            return new Fakes.Destination(volumes);
        }

        @Bean
        Fakes.Nova nova() {
            return new Fakes.Nova();
        }
    }

    @TempDir
    static Path confDir;
    static ConfigurableApplicationContext ctx;

    @TempDir
    Path dir;
    Fakes.Driver driver;
    Fakes.Copier copier;
    Fakes.Destination destination;
    Fakes.Nova nova;
    VolumeRepository volumes;
    VolumeMigrator migrator;

    @BeforeAll
    static void startContext() {
        Path conf = CinderConfFile.onLocalServices(confDir);
        ctx = CinderServiceLauncher.run(MigrationOnly.class, CinderConfig.load(conf), false, new String[0]);
    }

    @AfterAll
    static void stopContext() {
        if (ctx != null) {
            ctx.close();
        }
    }

    @BeforeEach
    void freshSeams() {
        driver = new Fakes.Driver(dir.resolve("source"));
        copier = new Fakes.Copier();
        destination = ctx.getBean(Fakes.Destination.class);
        destination.reset(dir.resolve("destination"));
        nova = ctx.getBean(Fakes.Nova.class);
        nova.reset();
        volumes = ctx.getBean(VolumeRepository.class);
        migrator = ctx.getBean(VolumeMigratorFactory.class).create(SOURCE, driver, copier, 0);
    }

    /** A 1 GiB volume on the source backend, with a few known bytes in its object. */
    VolumeEntity volume(String status, String migrationStatus) throws Exception {
        VolumeEntity v = new VolumeEntity();
        v.setId(UUID.randomUUID().toString());
        v.setSize(1);
        v.setStatus(VolumeStatus.parse(status));
        v.setAttachStatus(v.getStatus() == VolumeStatus.IN_USE ? AttachStatus.ATTACHED : AttachStatus.DETACHED);
        v.setMigrationStatus(migrationStatus == null ? null : MigrationStatus.parse(migrationStatus));
        v.setHost(SOURCE + "#one");
        v.setProjectId("project");
        v.setVolumeTypeId(ctx.getBean(VolumeTypeRepository.class).findByNameAndDeletedFalse("__DEFAULT__").get(0)
                .getId());
        v.setCreatedAt(Clock.now());
        volumes.saveAndFlush(v);
        Files.writeString(driver.objectOf(v), "data of " + v.getId());
        return v;
    }

    /** The volume as the API's os-migrate_volume leaves it for the source backend: migration_status starting. */
    VolumeEntity migratable() throws Exception {
        return volume("available", "starting");
    }

    VolumeAttachmentEntity attach(VolumeEntity v, String server) {
        VolumeAttachmentEntity a = new VolumeAttachmentEntity();
        a.setId(UUID.randomUUID().toString());
        a.setVolumeId(v.getId());
        a.setInstanceUuid(server);
        a.setAttachStatus(AttachStatus.ATTACHED);
        a.setCreatedAt(Clock.now());
        return ctx.getBean(VolumeAttachmentRepository.class).saveAndFlush(a);
    }

    void migrate(VolumeEntity v, boolean forceHostCopy) {
        migrator.migrateVolume(RequestContext.internal(), new MigrateVolume(v.getId(), DESTINATION,
                java.util.Map.of("thin_provisioning_support", true), forceHostCopy, null, null));
    }

    VolumeEntity reload(String id) {
        return volumes.findById(id).orElseThrow();
    }

    VolumeMigrationEntity record(String volumeId) {
        return ctx.getBean(VolumeMigrationRepository.class).findFirstByVolumeIdOrderByCreatedAtDesc(volumeId)
                .orElseThrow();
    }
}
