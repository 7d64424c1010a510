package dev.switchboard.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.switchboard.testkit.tck.ConformanceSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The published testkit, the TCK above all, uses only public API and SPI: a provider built against a release
 * must be able to run it, and the core may change its runtime without breaking anyone's tests.
 */
class TestkitDependencyRulesTest {
    private static final String INTERNAL = "dev.switchboard.internal";
    private static final JavaClasses TESTKIT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.switchboard.testkit");

    @Test
    void importSeesTheTck() {
        assertThat(TESTKIT.contain(ConformanceSuite.class)).isTrue();
        assertThat(TESTKIT.contain(BrokerFixture.class)).isTrue();
    }

    @Test
    void testkitDoesNotDependOnTheCoreRuntime() {
        noClasses().that().resideInAPackage("dev.switchboard.testkit..")
                .should().dependOnClassesThat().resideInAPackage(INTERNAL + "..")
                .because("the runtime is not API: the TCK tests what users and drivers see")
                .check(TESTKIT);
    }

    /** javac inlines constants, so a use of an internal key constant leaves no trace for the rule above. */
    @Test
    void testkitSourcesDoNotNameTheCoreRuntime() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            List<Path> naming = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> read(file).contains(INTERNAL + ".")).toList();

            assertThat(naming).as("testkit sources that name %s types", INTERNAL).isEmpty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
