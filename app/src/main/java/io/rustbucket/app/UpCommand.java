package io.rustbucket.app;

import io.rustbucket.core.auth.Accounts;
import io.rustbucket.core.auth.PasswordHasher;
import java.io.PrintStream;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ./rustbucket up}: every system in one JVM on embedded defaults, until Ctrl-C or SIGTERM. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = "Run every system in one process on embedded defaults (data under ./data).")
final class UpCommand implements Callable<Integer> {
    /** The whole process must be gone within 10 s of a stop signal; past this, it halts. */
    static final long SHUTDOWN_DEADLINE_MS = 9_000;

    @Mixin
    PlatformOptions options;

    @Override
    public Integer call() {
        return run(options.load(), java.util.EnumSet.allOf(Platform.Part.class));
    }

    /** Starts the parts, prints where they are, and waits for a stop signal; shared by the single-system commands. */
    static int run(RustbucketConfig config, java.util.Set<Platform.Part> parts) {
        long started = System.nanoTime();
        Platform platform = Platform.start(config, System.getenv(), new PasswordHasher(), Clock.systemUTC(), parts);
        PrintStream out = System.out;
        int width = platform.endpoints().keySet().stream()
                .mapToInt(String::length)
                .max()
                .orElse(10);
        platform.endpoints().forEach((name, url) -> out.printf("  %-" + width + "s %s%n", name, url));
        platform.initialAdminPassword().ifPresent(pw -> {
            out.println();
            out.println("  First start: created user 'admin' with password " + pw);
            out.println("  (also in " + config.platform().dataPath().resolve(Accounts.INITIAL_PASSWORD_FILE)
                    + "; you must change it at first sign-in)");
            out.println();
        });
        out.printf("Rustbucket is ready (%.1f s)%n", (System.nanoTime() - started) / 1e9);
        out.flush();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
                                try {
                                    Thread.sleep(SHUTDOWN_DEADLINE_MS);
                                    System.err.println("rustbucket: shutdown took too long; halting");
                                    Runtime.getRuntime().halt(1);
                                } catch (InterruptedException ignored) {
                                    // shut down in time
                                }
                            });
                            out.println("Rustbucket is stopping");
                            platform.close();
                            out.println("Rustbucket stopped");
                            watchdog.interrupt();
                            stopped.countDown();
                        },
                        "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
