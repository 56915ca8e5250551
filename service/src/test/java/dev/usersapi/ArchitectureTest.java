package dev.usersapi;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.usersapi.api.UsersService;
import dev.usersapi.http.ObservabilityFilter;
import dev.usersapi.lifecycle.Lifecycle;
import dev.usersapi.observe.Metrics;
import dev.usersapi.store.UserStores;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.Test;

/**
 * The service's package layering as it is drawn (docs/architecture.md, "The service", Packages):
 * {@code api} → {@code http} → {@code lifecycle}/{@code observe} → {@code auth}/{@code store}/{@code config};
 * nothing depends back up; only {@code Main} and {@code UsersApi} wire the parts together.
 * A failure names the offending class, the dependency and the line.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.usersapi");

    private static final String WIRING = "Wiring (Main, UsersApi)";

    @Test
    void packagesDependOnlyDownwards() {
        ArchRule layers = layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer(WIRING)
                .definedBy("dev.usersapi")
                .layer("api")
                .definedBy("dev.usersapi.api..")
                .layer("http")
                .definedBy("dev.usersapi.http..")
                .layer("lifecycle")
                .definedBy("dev.usersapi.lifecycle..")
                .layer("observe")
                .definedBy("dev.usersapi.observe..")
                .layer("auth")
                .definedBy("dev.usersapi.auth..")
                .layer("store")
                .definedBy("dev.usersapi.store..")
                .layer("config")
                .definedBy("dev.usersapi.config..")
                .whereLayer(WIRING)
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("api")
                .mayOnlyBeAccessedByLayers(WIRING)
                .whereLayer("http")
                .mayOnlyBeAccessedByLayers(WIRING, "api")
                .whereLayer("lifecycle")
                .mayOnlyBeAccessedByLayers(WIRING, "api", "http")
                .whereLayer("observe")
                .mayOnlyBeAccessedByLayers(WIRING, "api", "http", "lifecycle")
                .whereLayer("auth")
                .mayOnlyBeAccessedByLayers(WIRING, "api", "http", "lifecycle", "observe")
                .whereLayer("store")
                .mayOnlyBeAccessedByLayers(WIRING, "api", "http", "lifecycle", "observe")
                .whereLayer("config")
                .mayOnlyBeAccessedByLayers(WIRING, "api", "http", "lifecycle", "observe", "auth", "store")
                // BuildInfo is a value (version, git revision) that lives beside Main; every layer may read it.
                .ignoreDependency(alwaysTrue(), belongToAnyOf(BuildInfo.class));
        layers.check(MAIN_CLASSES);
    }

    @Test
    void onlyMainStartsTheServer() {
        noClasses()
                .that()
                .doNotBelongToAnyOf(Main.class)
                .should()
                .callMethod(WebServer.class, "builder")
                .because("Main is the one place that starts the web server")
                .check(MAIN_CLASSES);
    }

    @Test
    void onlyMainAndUsersApiWireTheParts() {
        noClasses()
                .that()
                .doNotBelongToAnyOf(Main.class, UsersApi.class)
                .should()
                .callConstructorWhere(target(owner(equivalentTo(UsersService.class)
                        .or(equivalentTo(ObservabilityFilter.class))
                        .or(equivalentTo(Metrics.class))
                        .or(equivalentTo(Lifecycle.class)))))
                .orShould()
                .dependOnClassesThat()
                .belongToAnyOf(UserStores.class)
                .because("only Main and UsersApi choose the implementations and connect them")
                .check(MAIN_CLASSES);
    }
}
