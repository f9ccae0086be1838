package io.celerypgmq.bridge.codec;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The codec is pure: it never reaches a database, Redis, the network or the file system. */
class CodecPurityTest {
    private static final JavaClasses CODEC = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.celerypgmq.bridge.codec");

    @Test
    void theCodecTouchesNoDatabaseRedisNetworkOrFiles() {
        noClasses()
                .that()
                .resideInAPackage("io.celerypgmq.bridge.codec..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.sql..", "redis.clients..", "com.zaxxer..", "java.net..", "java.nio.file..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.io.File")
                .because("the codec must stay pure: no I/O, so it can run anywhere and be tested without backends")
                .check(CODEC);
    }

    @Test
    void theCodecReadsNoClockOfItsOwn() {
        noClasses()
                .that()
                .resideInAPackage("io.celerypgmq.bridge.codec..")
                .should()
                .callMethod(java.time.OffsetDateTime.class, "now")
                .orShould()
                .callMethod(java.time.Instant.class, "now")
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .because("time must be injected")
                .check(CODEC);
    }
}
