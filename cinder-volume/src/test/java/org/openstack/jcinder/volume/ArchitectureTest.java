package org.openstack.jcinder.volume;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The volume service's layering: manager (RPC endpoint) → migration → drivers, copy engines, Nova client.
 * Rules name packages, never classes, so they hold however the migration package is split up.
 */
class ArchitectureTest {

    private static final String ROOT = "org.openstack.jcinder.volume";
    private static final String MANAGER = ROOT + ".manager..";
    private static final String MIGRATION = ROOT + ".migration..";
    private static final String DRIVER = ROOT + ".driver..";
    private static final String COPY = ROOT + ".copy..";
    private static final String NOVA = ROOT + ".nova..";
    private static final String RPC = "org.openstack.jcinder.common.rpc..";
    private static final String API = "org.openstack.jcinder.api..";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages(ROOT);

    @Test
    void layersAreOnlyUsedFromAbove() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Manager").definedBy(MANAGER)
                .layer("Migration").definedBy(MIGRATION)
                .layer("Drivers").definedBy(DRIVER)
                .layer("Copy engines").definedBy(COPY)
                .layer("Nova client").definedBy(NOVA)
                .whereLayer("Manager").mayNotBeAccessedByAnyLayer()
                .whereLayer("Migration").mayOnlyBeAccessedByLayers("Manager")
                .whereLayer("Drivers").mayOnlyBeAccessedByLayers("Manager", "Migration")
                .whereLayer("Nova client").mayOnlyBeAccessedByLayers("Manager", "Migration")
                .whereLayer("Copy engines").mayOnlyBeAccessedByLayers("Manager", "Migration", "Drivers")
                .check(CLASSES);
    }

    @Test
    void driversAndCopyEnginesDoNotReachUp() {
        noClasses().that().resideInAnyPackage(DRIVER, COPY)
                .should().dependOnClassesThat(resideInAnyPackage(API, RPC, MIGRATION, MANAGER))
                .because("drivers and copy engines move bytes for whoever calls them; the flow above them "
                        + "(API, RPC, migration, manager) must stay replaceable")
                .check(CLASSES);
    }

    @Test
    void novaClientDoesNotReachUp() {
        noClasses().that().resideInAPackage(NOVA)
                .should().dependOnClassesThat().resideInAnyPackage(MANAGER, MIGRATION, API)
                .because("the Nova client is an adapter the migration uses, not the other way round")
                .check(CLASSES);
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void doesNotDependOnOtherServices() {
        noClasses().that().resideInAPackage(ROOT + "..")
                .should().dependOnClassesThat().resideInAnyPackage(API, "org.openstack.jcinder.scheduler..",
                        "org.openstack.jcinder.compute..")
                .because("services talk over RPC or HTTP, never by linking each other")
                .check(CLASSES);
    }
}
