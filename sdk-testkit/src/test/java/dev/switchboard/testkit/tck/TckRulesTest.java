package dev.switchboard.testkit.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every TCK test has a rule, each rule its own id in its group's series, and TCK.md lists them as they are. */
class TckRulesTest {
    private static final Pattern ID = Pattern.compile("[A-Z]{2}-\\d{2}");
    private static final Pattern ROW = Pattern.compile("^\\| ([A-Z]{2}-\\d{2}) \\| `(\\w+)` \\| [^|]+ \\| ([^|]+) \\|$",
            Pattern.MULTILINE);

    @Test
    void everyTestOfTheSuiteHasARule() {
        List<Method> tests = suiteTests();

        assertThat(tests).hasSizeGreaterThanOrEqualTo(57);
        assertThat(tests).allSatisfy(test -> assertThat(test.getAnnotation(Rule.class)).as(test.toString()).isNotNull());
    }

    @Test
    void idsAreUniqueAndEachGroupHasItsOwnPrefix() {
        List<Method> tests = suiteTests();

        assertThat(tests.stream().map(TckRulesTest::id)).doesNotHaveDuplicates().allMatch(ID.asMatchPredicate());
        Map<Class<?>, Set<String>> prefixesByGroup = tests.stream().collect(Collectors.groupingBy(Method::getDeclaringClass,
                Collectors.mapping(test -> id(test).substring(0, 2), Collectors.toSet())));
        assertThat(prefixesByGroup.values()).allSatisfy(prefixes -> assertThat(prefixes).hasSize(1));
        assertThat(prefixesByGroup.values().stream().flatMap(Set::stream)).doesNotHaveDuplicates();
    }

    @Test
    void tckMdListsEveryRuleWithItsTestAndHint() throws IOException {
        Map<String, String> documented = new HashMap<>();
        Matcher row = ROW.matcher(Files.readString(Path.of("TCK.md")));
        while (row.find()) {
            documented.put(row.group(1), row.group(2) + ": " + row.group(3));
        }

        Map<String, String> annotated = suiteTests().stream().collect(Collectors.toMap(
                TckRulesTest::id, test -> test.getName() + ": " + test.getAnnotation(Rule.class).check()));
        Map<String, String> differing = new TreeMap<>();
        Stream.concat(documented.keySet().stream(), annotated.keySet().stream())
                .filter(id -> !Objects.equals(documented.get(id), annotated.get(id)))
                .forEach(id -> differing.put(id, "TCK.md: " + documented.get(id) + " | @Rule: " + annotated.get(id)));
        assertThat(differing).as("rules whose TCK.md row and @Rule differ").isEmpty();
    }

    /** The test methods of every group the full suite runs, the capability check included. */
    private static List<Method> suiteTests() {
        List<Method> tests = new ArrayList<>();
        for (Class<?> suite = ConformanceSuite.class; suite != Object.class; suite = suite.getSuperclass()) {
            for (Class<?> nested : suite.getDeclaredClasses()) {
                if (nested.isAnnotationPresent(Nested.class)) {
                    for (Class<?> group = nested; group != TckSupport.class; group = group.getSuperclass()) {
                        for (Method method : group.getDeclaredMethods()) {
                            if (method.isAnnotationPresent(Test.class)) {
                                tests.add(method);
                            }
                        }
                    }
                }
            }
        }
        return tests;
    }

    private static String id(Method test) {
        return test.getAnnotation(Rule.class).id();
    }
}
