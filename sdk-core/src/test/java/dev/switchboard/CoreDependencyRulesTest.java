package dev.switchboard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the core broker-neutral: no broker client types anywhere, and an SPI that does not leak the runtime. */
class CoreDependencyRulesTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.switchboard");
    }

    @Test
    void importSeesTheCoreAndOnlyTheCore() {
        assertThat(core.contain(Messaging.class)).isTrue();
        assertThat(core.contain(dev.switchboard.spi.BrokerProvider.class)).isTrue();
        assertThat(core.containPackage("dev.switchboard.internal")).isTrue();
        assertThat(core).noneMatch(c -> c.getSimpleName().endsWith("Test"));
        assertThat(core).noneMatch(c -> c.getPackageName().startsWith("dev.switchboard.kafka")
                || c.getPackageName().startsWith("dev.switchboard.rabbitmq")
                || c.getPackageName().startsWith("dev.switchboard.aws")
                || c.getPackageName().startsWith("dev.switchboard.testkit"));
    }

    @Test
    void coreDoesNotDependOnBrokerClients() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.switchboard..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "com.rabbitmq..", "software.amazon..")
                .because("broker knobs live in the adapters; the core depends on Jackson and SLF4J only");

        rule.check(core);
    }

    @Test
    void spiDoesNotDependOnTheRuntime() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.switchboard.spi..")
                .should().dependOnClassesThat().resideInAPackage("dev.switchboard.internal..")
                .because("drivers implement the SPI and must not couple to the portable runtime");

        rule.check(core);
    }

    @Test
    void spiIsALeafThatKnowsOnlyTheVocabulary() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.switchboard.spi..")
                .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "of the event model or the runtime",
                        c -> c.getPackageName().startsWith("dev.switchboard") && !c.getPackageName().startsWith("dev.switchboard.spi")
                                && !VOCABULARY.contains(c.getName())))
                .because("drivers see wire messages and the error/config vocabulary, never EventEnvelope or the runtime");

        rule.check(core);
    }

    @Test
    void instrumentationIsPublicApiThatDoesNotExposeTheRuntime() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.switchboard.instrumentation..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.switchboard.internal..", "dev.switchboard.spi..")
                .because("observers see events, deliveries and outcomes, not the runtime or the drivers");

        rule.check(core);
    }

    private static final java.util.Set<String> VOCABULARY = java.util.Set.of(ErrorCode.class.getName(),
            MessagingException.class.getName(), ConfigurationException.class.getName(), Payload.class.getName(),
            SwitchboardConfig.class.getName(), Provisioning.class.getName(), Connectivity.class.getName());
}
