package io.rustbucket.app;

import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ./rustbucket ingest}: the log platform alone (ingest, search, tail), on port 8080 unless told otherwise. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = "Run the log platform alone (default port 8080, as the service it replaces).")
final class IngestCommand implements Callable<Integer> {
    static final int DEFAULT_PORT = 8080;

    @Mixin
    PlatformOptions options;

    @Override
    public Integer call() {
        if (options.port == null && System.getenv("RUSTBUCKET_PORT") == null) {
            options.port = DEFAULT_PORT;
        }
        return UpCommand.run(options.load(), EnumSet.of(Platform.Part.LOGS));
    }
}
