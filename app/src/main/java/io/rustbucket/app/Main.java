package io.rustbucket.app;

import io.rustbucket.app.chat.BucketChatCommand;
import java.util.TimeZone;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one executable. Each system adds its commands here. */
@Command(
        name = "rustbucket",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Self-hosted, AI-assisted honeynet and security-operations platform.",
        subcommands = {
            UpCommand.class,
            SensorCommand.class,
            IngestCommand.class,
            RegistryCommand.class,
            AlertsCommand.class,
            AssistantCommand.class,
            BucketChatCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns the exit code (tests call this instead of main). */
    public static int run(String... args) {
        // Every timestamp the platform stores or prints is UTC, whatever the host's zone.
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("rustbucket: " + Failures.oneLine(e));
            // A wrong argument (no such room, missing --user) is a usage error: exit 2, as picocli's own are.
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Prints the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rustbucket " + (v == null ? "development build" : v)};
        }
    }
}
