package io.rustbucket.app;

import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ./rustbucket alerts}: the alert engine with the log platform it watches (one process owns the embedded
 * index), plus the spam check API. Sensor-unseen alerts need the registry, so they come with {@code up}.
 */
@Command(
        name = "alerts",
        mixinStandardHelpOptions = true,
        description = "Run the alert engine (monitors, notifiers, spam check API) with the log platform.")
final class AlertsCommand implements Callable<Integer> {
    @Mixin
    PlatformOptions options;

    @Override
    public Integer call() {
        return UpCommand.run(options.load(), EnumSet.of(Platform.Part.LOGS, Platform.Part.ALERTS));
    }
}
