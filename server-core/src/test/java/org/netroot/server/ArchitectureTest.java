package org.netroot.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering STYLE.md describes, held by a test rather than by memory. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.netroot.server");
    }

    @Test
    void apiIsSelfContainedSoTheAppCanUseItAlone() {
        classes().that().resideInAPackage("..server.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.fasterxml.jackson..",
                        "..server.api..")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.netroot.server.(*)..").should().beFreeOfCycles().check(classes);
    }

    /** The kit below the protocols (service) never reaches up to the wiring above them (runtime, control, cli). */
    @Test
    void noPackageImportsUpward() {
        noClasses().that().resideInAnyPackage("..server.service..", "..server.dhcp..", "..server.tftp..",
                        "..server.http..", "..server.iscsi..", "..server.nbd..", "..server.scsi..",
                        "..server.storage..", "..server.store..", "..server.events..")
                .should().dependOnClassesThat().resideInAnyPackage("..server.runtime..", "..server.control..",
                        "..server.cli..")
                .check(classes);
    }

    @Test
    void scsiAndStorageKnowNothingOfTheNetwork() {
        noClasses().that().resideInAnyPackage("..server.scsi..", "..server.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "..server.iscsi..", "..server.nbd..",
                        "..server.dhcp..", "..server.tftp..", "..server.http..", "..server.control..")
                .check(classes);
    }

    @Test
    void theStoreKnowsNoProtocol() {
        noClasses().that().resideInAPackage("..server.store..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "..server.iscsi..", "..server.nbd..",
                        "..server.dhcp..", "..server.tftp..", "..server.http..", "..server.control..")
                .check(classes);
    }

    @Test
    void httpDecisionsAreFreeOfNetty() {
        noClasses().that().resideInAPackage("..server.http..").and().haveSimpleNameNotEndingWith("Service")
                .and().areNotNestedClasses()
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .check(classes);
    }

    /** NBD's wire format and decisions are plain Java over bytes; only NbdService (and its nested handlers) binds Netty. */
    @Test
    void nbdDecisionsAreFreeOfNetty() {
        noClasses().that().resideInAPackage("..server.nbd..").and().doNotHaveSimpleName("NbdService")
                .and().areNotNestedClasses()
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .check(classes);
    }
}
