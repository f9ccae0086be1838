package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./celery-pgmq} on a fresh copy of the tree, launched twice at once as a user double-clicking or a supervisor
 * starting two services would: one Maven build, and both launches run the command.
 */
class LauncherTest {
    /** What a fresh clone does not have: build output, the launcher's state, version control. */
    private static final Set<String> NOT_IN_A_FRESH_CLONE = Set.of("target", ".git", ".celery-pgmq", ".idea");

    @TempDir
    Path dir;

    @Test
    void twoFirstLaunchesAtOnceBuildOnceAndBothRun() throws Exception {
        Path tree = copyOfTheSourceTree(dir.resolve("celery-pgmq"));

        List<Process> launches = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            launches.add(new ProcessBuilder("./celery-pgmq", "--version")
                    .directory(tree.toFile())
                    .redirectOutput(dir.resolve("out" + i).toFile())
                    .redirectError(dir.resolve("err" + i).toFile())
                    .start());
        }
        for (Process p : launches) {
            assertThat(p.waitFor(10, TimeUnit.MINUTES))
                    .as("the launch finished")
                    .isTrue();
        }

        String errors = Files.readString(dir.resolve("err0")) + Files.readString(dir.resolve("err1"));
        for (int i = 0; i < 2; i++) {
            assertThat(launches.get(i).exitValue())
                    .as("launch %d; stderr:%n%s", i, errors)
                    .isZero();
            assertThat(Files.readString(dir.resolve("out" + i))).startsWith("celery-pgmq 0.");
        }
        assertThat(errors.split("building the runnable jar", -1)).as(errors).hasSize(2);
        assertThat(errors).contains("another launch is building the jar; waiting");
    }

    private static Path copyOfTheSourceTree(Path to) throws IOException {
        Path from = Path.of("..").toAbsolutePath().normalize();
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                if (!d.equals(from)
                        && NOT_IN_A_FRESH_CLONE.contains(d.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.copy(f, to.resolve(from.relativize(f).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
        return to;
    }
}
