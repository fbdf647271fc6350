package org.openstack.jcinder.compute;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The compute service's layering: API → compute manager → hypervisor drivers and the Cinder client. */
class ArchitectureTest {

    private static final String ROOT = "org.openstack.jcinder.compute";
    private static final String API = ROOT + ".api..";
    private static final String MANAGER = ROOT + ".manager..";
    private static final String VIRT = ROOT + ".virt..";
    private static final String CINDER_CLIENT = ROOT + ".cinder..";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages(ROOT);

    @Test
    void layersAreOnlyUsedFromAbove() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("API").definedBy(API)
                .layer("Manager").definedBy(MANAGER)
                .layer("Hypervisor drivers").definedBy(VIRT)
                .layer("Cinder client").definedBy(CINDER_CLIENT)
                .whereLayer("API").mayNotBeAccessedByAnyLayer()
                .whereLayer("Manager").mayOnlyBeAccessedByLayers("API")
                .whereLayer("Hypervisor drivers").mayOnlyBeAccessedByLayers("Manager")
                // The API maps the client's errors to Nova's fault bodies; it makes no calls to Cinder itself.
                .whereLayer("Cinder client").mayOnlyBeAccessedByLayers("Manager", "API")
                .check(CLASSES);
    }

    @Test
    void hypervisorDriversDoNotTouchTheApiOrCinder() {
        noClasses().that().resideInAPackage(VIRT)
                .should().dependOnClassesThat().resideInAnyPackage(API, CINDER_CLIENT, MANAGER)
                .because("a hypervisor driver copies and swaps disks for the manager, which alone talks to "
                        + "Cinder and answers the API")
                .check(CLASSES);
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void reachesCinderOnlyOverHttp() {
        noClasses().that().resideInAPackage(ROOT + "..")
                .should().dependOnClassesThat().resideInAnyPackage("org.openstack.jcinder.api..",
                        "org.openstack.jcinder.scheduler..", "org.openstack.jcinder.volume..",
                        "org.openstack.jcinder.common.rpc..", "org.openstack.jcinder.common.db..")
                .because("Nova talks to Cinder through its REST API, never through its RPC or database")
                .check(CLASSES);
    }
}
