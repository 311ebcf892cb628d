package io.jenkins.plugins.kmssecrets;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Core is the Jenkins-free engine: it must build and run without any Jenkins class on the class path. */
class ArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jenkins.plugins.kmssecrets");

    @Test
    void coreNeverDependsOnJenkins() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "hudson..", "jenkins..", "org.kohsuke..", "org.jenkinsci..", "com.cloudbees..")
                .because("core must stay testable without Jenkins; Jenkins glue lives in kms-secrets-plugin")
                .check(CORE);
    }

    @Test
    void coreImportsSomeClasses() {
        // Guards the rule above against passing vacuously because nothing was imported.
        org.assertj.core.api.Assertions.assertThat(CORE.size()).isGreaterThan(10);
    }
}
