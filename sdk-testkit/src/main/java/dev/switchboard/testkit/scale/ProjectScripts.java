package dev.switchboard.testkit.scale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the project's scripts (a fault injector, say) from a test: the folder comes from the system property
 * {@code test.scripts.dir}, which the adapters' builds set to the repository's {@code scripts/}. The script's
 * messages go to the test's standard error; its standard output is returned.
 *
 * @since 0.2
 */
public final class ProjectScripts {
    private ProjectScripts() {
    }

    /**
     * Runs {@code script} with {@code args}, waiting up to three minutes.
     *
     * @throws IllegalStateException if it fails, with its output
     */
    public static String run(String script, String... args) {
        String dir = System.getProperty("test.scripts.dir");
        if (dir == null) {
            throw new IllegalStateException("test.scripts.dir is not set: the tests do not run inside the repository");
        }
        List<String> command = new ArrayList<>(List.of("bash", Path.of(dir, script).toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(script + " " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        }
    }
}
