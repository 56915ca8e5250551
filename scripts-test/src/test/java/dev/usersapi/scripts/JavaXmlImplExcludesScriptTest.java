package dev.usersapi.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * service/jlink/java-xml-impl-excludes.sh, which the image build runs to give jlink the pattern that keeps java.xml's
 * API and drops its implementation, run here on this JDK's own jimage.
 */
class JavaXmlImplExcludesScriptTest {
    private static final String SCRIPT = "service/jlink/java-xml-impl-excludes.sh";
    private static final Path MODULES = Path.of(System.getProperty("java.home"), "lib", "modules");

    /** The tools the script needs, jimage from the JDK running the tests included. */
    private static Optional<Path> pathWithJimage(Path folder) throws IOException {
        Path bin = ScriptRun.pathWithout(folder, Set.of());
        Path jimage = Path.of(System.getProperty("java.home"), "bin", "jimage");
        assertThat(jimage).as("jimage of the JDK running the tests").isExecutable();
        Files.createSymbolicLink(bin.resolve("jimage"), jimage);
        return Optional.of(bin);
    }

    @Test
    void withoutAModulesFileItPrintsTheUsageAndExits2(@TempDir Path dir) throws IOException {
        for (String[] args :
                List.of(new String[] {}, new String[] {dir.resolve("missing").toString()})) {
            ScriptRun run =
                    ScriptRun.run(TestRepository.root(), SCRIPT, pathWithJimage(dir.resolve(args.length + "")), args);
            assertThat(run.exit()).as(Arrays.toString(args)).isEqualTo(2);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).contains("usage: java-xml-impl-excludes.sh MODULES");
        }
    }

    @Test
    void thePatternDropsTheImplementationAndKeepsTheApiAndOneFilePerPackage(@TempDir Path dir) throws IOException {
        ScriptRun run = ScriptRun.run(TestRepository.root(), SCRIPT, pathWithJimage(dir), MODULES.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        String line = run.out().strip();
        assertThat(line).startsWith("regex:/java[.]xml/").doesNotContain(",").doesNotContain("\n");
        Pattern excluded = Pattern.compile(line.substring("regex:".length()));

        assertThat(excluded.matcher("/java.xml/com/sun/org/apache/xerces/internal/parsers/SAXParser.class")
                        .matches())
                .isTrue();
        assertThat(excluded.matcher("/java.xml/com/sun/org/apache/xalan/internal/xsltc/trax/TransformerImpl.class")
                        .matches())
                .isTrue();
        for (String api : List.of(
                "/java.xml/javax/xml/parsers/DocumentBuilderFactory.class",
                "/java.xml/org/w3c/dom/Document.class",
                "/java.xml/org/xml/sax/SAXException.class",
                "/java.xml/jdk/xml/internal/JdkXmlUtils.class",
                "/java.xml/module-info.class",
                "/java.base/com/sun/org/apache/xerces/internal/Unrelated.class")) {
            assertThat(excluded.matcher(api).matches()).as(api).isFalse();
        }

        Matcher kept = Pattern.compile("\\(\\?!\\(([^)]*)\\)\\$\\)").matcher(line);
        assertThat(kept.find()).as("the kept files in %s", line).isTrue();
        List<String> keptFiles = Arrays.stream(kept.group(1).split("\\|"))
                .map(name -> name.replace("[.]", ".").replace("[$]", "$"))
                .toList();
        List<String> packages = keptFiles.stream()
                .map(name -> name.substring(0, name.lastIndexOf('/')))
                .toList();
        assertThat(keptFiles)
                .hasSizeGreaterThan(50)
                .allSatisfy(
                        name -> assertThat(excluded.matcher("/java.xml/" + name).matches())
                                .as(name)
                                .isFalse());
        assertThat(packages).as("one kept file per package").doesNotHaveDuplicates();
    }
}
