package io.github.yototokenkeeper.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house's layers, from the ground up (docs/ARCHITECTURE.md): config, oauth, token, login, web, api (the program
 * API), embed (the public API and the composition root), and the standalone application on top. A layer may use the ones below it only;
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
                .layer("Api").definedBy(ROOT + ".api..")
                .layer("Web").definedBy(ROOT + ".web..")
                .layer("Login").definedBy(ROOT + ".login..")
                .layer("Token").definedBy(ROOT + ".token..")
                .layer("OAuth").definedBy(ROOT + ".oauth..")
                .layer("Config").definedBy(ROOT + ".config..")
                .whereLayer("Application").mayNotBeAccessedByAnyLayer()
                .whereLayer("Embed").mayOnlyBeAccessedByLayers("Application")
                .whereLayer("Api").mayOnlyBeAccessedByLayers("Embed")
                .whereLayer("Web").mayOnlyBeAccessedByLayers("Api", "Embed")
                .whereLayer("Login").mayOnlyBeAccessedByLayers("Web", "Api", "Embed")
                .whereLayer("Token").mayOnlyBeAccessedByLayers("Login", "Web", "Api", "Embed")
                .whereLayer("OAuth").mayOnlyBeAccessedByLayers("Token", "Login", "Web", "Api", "Embed")
                .whereLayer("Config").mayOnlyBeAccessedByLayers("OAuth", "Token", "Login", "Web", "Api", "Embed", "Application")
                .check(KEEPER);
    }

    /** The layers from the ground up, as the source imports them (root: the application). */
    private static final List<String> ORDER = List.of("config", "oauth", "token", "login", "web", "api", "embed", "");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.github\\.yototokenkeeper\\.([a-z]+)\\.", Pattern.MULTILINE);

    /**
     * The same order, read from the source's imports: javac inlines a class's string constants (route URIs, property
     * names), so an import used only for one leaves no trace in the class files ArchUnit reads.
     */
    @Test
    void noSourceFileImportsFromALayerAboveItsOwn() throws IOException {
        Path sources = Path.of("src/main/java/io/github/yototokenkeeper");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = sources.relativize(file);
                String layer = relative.getNameCount() > 1 ? relative.getName(0).toString() : "";
                Matcher imports = IMPORT.matcher(Files.readString(file));
                while (imports.find()) {
                    if (ORDER.indexOf(imports.group(1)) > ORDER.indexOf(layer)) {
                        violations.add(relative + " imports " + imports.group(1));
                    }
                }
            }
        }
        org.assertj.core.api.Assertions.assertThat(violations).isEmpty();
    }
}
