package org.openstack.jcinder.scheduler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The scheduler's layering: manager (RPC endpoint) → filters, weighers → backend state. */
class ArchitectureTest {

    private static final String ROOT = "org.openstack.jcinder.scheduler";
    private static final String MANAGER = ROOT + ".manager..";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages(ROOT);

    @Test
    void placementDoesNotReachUp() {
        noClasses().that().resideInAPackage(ROOT + "..").and().resideOutsideOfPackages(MANAGER, ROOT)
                .should().dependOnClassesThat().resideInAnyPackage(MANAGER, "org.openstack.jcinder.common.rpc..")
                .because("filters, weighers and backend state decide placement; the manager alone receives "
                        + "and sends RPC")
                .check(CLASSES);
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void doesNotDependOnOtherServices() {
        noClasses().that().resideInAPackage(ROOT + "..")
                .should().dependOnClassesThat().resideInAnyPackage("org.openstack.jcinder.api..",
                        "org.openstack.jcinder.volume..", "org.openstack.jcinder.compute..")
                .because("services talk over RPC, never by linking each other")
                .check(CLASSES);
    }
}
