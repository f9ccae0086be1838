package io.celerypgmq.rollout;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.celerypgmq.rollout.gate.Breach;
import io.celerypgmq.rollout.gate.BreachRules;
import io.celerypgmq.rollout.gate.GateJudge;
import io.celerypgmq.rollout.gate.GateOutcome;
import io.celerypgmq.rollout.gate.StepReading;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rollout's logic — the step machine, its transition table, the gate and breach rules, the rollout and its plan —
 * is pure: no store, no network, no clock of its own, so its tests move a settable clock and never sleep.
 */
class StepLogicPurityTest {
    private static final List<Class<?>> LOGIC = List.of(
            StepMachine.class,
            Decision.class,
            RolloutTransitions.class,
            RolloutState.class,
            Rollout.class,
            RolloutPlan.class,
            RolloutLauncher.class,
            Breach.class,
            BreachRules.class,
            GateJudge.class,
            GateOutcome.class,
            StepReading.class);
    private static final JavaClasses ROLLOUT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.celerypgmq.rollout");
    private static final DescribedPredicate<JavaClass> THE_LOGIC =
            DescribedPredicate.describe("the step logic", c -> LOGIC.stream()
                    .anyMatch(
                            l -> c.getName().equals(l.getName()) || c.getName().startsWith(l.getName() + "$")));

    @Test
    void theStepLogicTouchesNoDatabaseRedisOrNetwork() {
        noClasses()
                .that(THE_LOGIC)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.sql..", "javax.sql..", "redis.clients..", "com.zaxxer..", "java.net..")
                .because("decisions must be testable without backends")
                .check(ROLLOUT);
    }

    @Test
    void theStepLogicReadsNoClockOfItsOwn() {
        noClasses()
                .that(THE_LOGIC)
                .should()
                .callMethod(java.time.Instant.class, "now")
                .orShould()
                .callMethod(java.time.Clock.class, "systemUTC")
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .because("time is passed in, so tests move a settable clock")
                .check(ROLLOUT);
    }
}
