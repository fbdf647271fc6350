package org.openstack.jcinder.common;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * cinder-common is what every service builds on: it knows none of them, and within it the RPC layer sits on
 * top of configuration, context, persistence and the domain types, which do not call back into it.
 */
class ArchitectureTest {

    private static final String ROOT = "org.openstack.jcinder.common";
    private static final String RPC = ROOT + ".rpc..";
    private static final String RPC_TRANSPORT = ROOT + ".rpc";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages(ROOT);

    @Test
    void doesNotDependOnAnyService() {
        noClasses().that().resideInAPackage(ROOT + "..")
                .should().dependOnClassesThat().resideInAnyPackage("org.openstack.jcinder.api..",
                        "org.openstack.jcinder.scheduler..", "org.openstack.jcinder.volume..",
                        "org.openstack.jcinder.compute..", "org.openstack.jcinder.all..",
                        "org.openstack.jcinder.embedded..", "org.openstack.jcinder.benchmarks..")
                .check(CLASSES);
    }

    @Test
    void onlyTheRpcLayerUsesRpc() {
        // The root package holds the Spring configuration, which names packages, not classes.
        noClasses().that().resideInAPackage(ROOT + "..").and().resideOutsideOfPackages(RPC, ROOT)
                .should().dependOnClassesThat().resideInAPackage(RPC)
                .because("configuration, context, persistence and domain types sit below the RPC layer")
                .check(CLASSES);
    }

    @Test
    void rpcTransportDoesNotKnowTheServiceApis() {
        noClasses().that().resideInAPackage(RPC_TRANSPORT)
                .should().dependOnClassesThat(resideInAPackage(RPC).and(not(resideInAPackage(RPC_TRANSPORT))))
                .because("envelopes, casts and calls carry any service's methods; the per-service stubs "
                        + "(scheduler, volume) are built on them")
                .check(CLASSES);
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
