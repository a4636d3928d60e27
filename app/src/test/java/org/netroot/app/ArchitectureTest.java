package org.netroot.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.netroot.app.connection.ServerStarter;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The app's layering (issue 11, point 3): views, view-models and the connection reach the server
 * only through its {@code api} package; only the launcher runs a server in-process; view-models know
 * no scene graph. Each rule is also shown to catch a deliberately bad class (ui.archfixture).
 */
class ArchitectureTest {
    private static JavaClasses app;
    private static JavaClasses badFixtures;

    /** Views, view-models, the model and the connection: the api only. */
    static final ArchRule UI_USES_ONLY_THE_API = noClasses()
            .that().resideInAnyPackage("org.netroot.app.ui..", "org.netroot.app.model..", "org.netroot.app.connection..")
            .should().dependOnClassesThat(resideInAPackage("org.netroot.server..")
                    .and(not(resideInAPackage("org.netroot.server.api.."))))
            .because("the app talks to the server through org.netroot.server.api like any other client");

    /** Everything but the launcher (AppShell, NetrootApp too): the api only. */
    static final ArchRule ONLY_THE_LAUNCHER_REACHES_INTO_THE_SERVER = noClasses()
            .that().resideInAPackage("org.netroot.app..")
            .and().resideOutsideOfPackage("org.netroot.app.launcher..")
            .should().dependOnClassesThat(resideInAPackage("org.netroot.server..")
                    .and(not(resideInAPackage("org.netroot.server.api.."))))
            .because("only org.netroot.app.launcher may use the server's runtime (an in-process server)");

    static final ArchRule ONLY_THE_LAUNCHER_STARTS_A_SERVER = classes()
            .that().implement(ServerStarter.class).and().areNotAnonymousClasses()
            .should().resideInAPackage("org.netroot.app.launcher..")
            .because("starting a server in-process is the launcher's job");

    static final ArchRule VIEW_MODELS_KNOW_NO_SCENE_GRAPH = noClasses()
            .that().haveSimpleNameEndingWith("ViewModel")
            .should().dependOnClassesThat().resideInAPackage("javafx.scene..")
            .because("a view-model is unit-tested without a screen; its view owns the nodes")
            // The view-models arrive with the views' branches; the fixture test below keeps the rule honest.
            .allowEmptyShould(true);

    @BeforeAll
    static void importClasses() {
        app = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.netroot.app");
        badFixtures = new ClassFileImporter().importPackages("org.netroot.app.ui.archfixture");
    }

    @Test
    void theRulesLookAtRealClasses() {
        assertTrue(app.stream().anyMatch(c -> c.getPackageName().startsWith("org.netroot.app.ui.")), "ui classes imported");
        assertTrue(app.stream().anyMatch(c -> c.getPackageName().equals("org.netroot.app.model")), "model classes imported");
        assertTrue(app.stream().anyMatch(c -> c.getPackageName().equals("org.netroot.app.connection")), "connection imported");
        assertTrue(app.stream().anyMatch(c -> c.getPackageName().equals("org.netroot.app.launcher")
                && c.getDirectDependenciesFromSelf().stream().anyMatch(d -> d.getTargetClass().getPackageName()
                .equals("org.netroot.server.runtime"))), "the launcher's use of the runtime is seen (so the rule could see others)");
        assertTrue(badFixtures.size() >= 3, "the bad fixtures were compiled and imported");
    }

    @Test
    void viewsAndViewModelsUseOnlyTheApi() {
        UI_USES_ONLY_THE_API.check(app);
    }

    @Test
    void onlyTheLauncherUsesTheServerRuntime() {
        ONLY_THE_LAUNCHER_REACHES_INTO_THE_SERVER.check(app);
        ONLY_THE_LAUNCHER_STARTS_A_SERVER.check(app);
    }

    @Test
    void viewModelsImportNoSceneGraph() {
        VIEW_MODELS_KNOW_NO_SCENE_GRAPH.check(app);
    }

    @Test
    void everyRuleCatchesADeliberatelyBadClass() {
        assertThrows(AssertionError.class, () -> UI_USES_ONLY_THE_API.check(badFixtures));
        assertThrows(AssertionError.class, () -> ONLY_THE_LAUNCHER_REACHES_INTO_THE_SERVER.check(badFixtures));
        assertThrows(AssertionError.class, () -> ONLY_THE_LAUNCHER_STARTS_A_SERVER.check(badFixtures));
        assertThrows(AssertionError.class, () -> VIEW_MODELS_KNOW_NO_SCENE_GRAPH.check(badFixtures));
    }
}
