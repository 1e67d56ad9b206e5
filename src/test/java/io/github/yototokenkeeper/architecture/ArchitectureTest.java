package io.github.yototokenkeeper.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The house's layers, from the ground up (docs/ARCHITECTURE.md): config, oauth, token, login, web, embed (the public
 * API and the composition root), and the standalone application on top. A layer may use the ones below it only;
 * lower layers tell upper ones what happened through listeners, never by importing them. No package cycles.
 */
class ArchitectureTest {

    private static final String ROOT = "io.github.yototokenkeeper";
    private static final JavaClasses KEEPER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(KEEPER);
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Application").definedBy(ROOT)
                .layer("Embed").definedBy(ROOT + ".embed..")
                .layer("Web").definedBy(ROOT + ".web..")
                .layer("Login").definedBy(ROOT + ".login..")
                .layer("Token").definedBy(ROOT + ".token..")
                .layer("OAuth").definedBy(ROOT + ".oauth..")
                .layer("Config").definedBy(ROOT + ".config..")
                .whereLayer("Application").mayNotBeAccessedByAnyLayer()
                .whereLayer("Embed").mayOnlyBeAccessedByLayers("Application")
                .whereLayer("Web").mayOnlyBeAccessedByLayers("Embed")
                .whereLayer("Login").mayOnlyBeAccessedByLayers("Web", "Embed")
                .whereLayer("Token").mayOnlyBeAccessedByLayers("Login", "Web", "Embed")
                .whereLayer("OAuth").mayOnlyBeAccessedByLayers("Token", "Login", "Web", "Embed")
                .whereLayer("Config").mayOnlyBeAccessedByLayers("OAuth", "Token", "Login", "Web", "Embed", "Application")
                .check(KEEPER);
    }
}
