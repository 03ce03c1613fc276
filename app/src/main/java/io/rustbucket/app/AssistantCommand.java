package io.rustbucket.app;

import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ./rustbucket assistant}: the assistant alone (accounts, conversations, streamed replies, the
 * OpenAI-compatible API) with the console for its chat page, on the platform port.
 */
@Command(
        name = "assistant",
        mixinStandardHelpOptions = true,
        description = "Run the assistant (RustyGPT): conversations, streamed replies, OpenAI-compatible API, console.")
final class AssistantCommand implements Callable<Integer> {
    @Mixin
    PlatformOptions options;

    @Override
    public Integer call() {
        return UpCommand.run(options.load(), EnumSet.of(Platform.Part.ASSISTANT));
    }
}
