package org.openstack.jcinder.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The API is the top layer: it reaches the scheduler and the volume services only through RPC stubs. */
class ArchitectureTest {

    private static final String ROOT = "org.openstack.jcinder.api";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages(ROOT);

    @Test
    void callsServicesOnlyThroughTheirVersionedStubs() {
        noClasses().that().resideInAPackage(ROOT + "..")
                .should().dependOnClassesThat().resideInAPackage("org.openstack.jcinder.common.rpc")
                .because("the scheduler and volume RPC stubs carry the method versions; the API is never an "
                        + "RPC server")
                .check(CLASSES);
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void doesNotDependOnOtherServices() {
        noClasses().that().resideInAPackage(ROOT + "..")
                .should().dependOnClassesThat().resideInAnyPackage("org.openstack.jcinder.scheduler..",
                        "org.openstack.jcinder.volume..", "org.openstack.jcinder.compute..")
                .because("the API reaches the scheduler and the volume services through RPC stubs only")
                .check(CLASSES);
    }
}
