package dev.switchboard.internal.receive;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the receive runtime's wiring one way: its classes form no cycle, and the rest of the core sits below it. */
class ReceivePackageRulesTest {
    private static final String PACKAGE = ReceivePackageRulesTest.class.getPackageName();
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.switchboard.internal", "dev.switchboard.spi");
    }

    @Test
    void theClassesOfTheReceiveRuntimeFormNoCycle() {
        slices().assignedFrom(TOP_LEVEL_CLASSES).should().beFreeOfCycles()
                .because("settlement reaches dispatch through callbacks, and the facade alone wires the parts")
                .check(core);
    }

    @Test
    void theRestOfTheCoreDoesNotDependOnTheReceiveRuntime() {
        noClasses().that().resideInAnyPackage("dev.switchboard.internal", "dev.switchboard.internal.binding",
                        "dev.switchboard.spi..")
                .should().dependOnClassesThat().resideInAPackage(PACKAGE)
                .because("only the API's Messaging and Subscriber use the receive runtime, through its facade")
                .check(core);
    }

    /** One slice per top-level class of the package, its nested and anonymous classes included. */
    private static final SliceAssignment TOP_LEVEL_CLASSES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            if (!javaClass.getPackageName().equals(PACKAGE)) {
                return SliceIdentifier.ignore();
            }
            String name = javaClass.getName().substring(PACKAGE.length() + 1);
            int nested = name.indexOf('$');
            return SliceIdentifier.of(nested < 0 ? name : name.substring(0, nested));
        }

        @Override
        public String getDescription() {
            return "top-level classes of " + PACKAGE;
        }
    };
}
