package io.rustbucket.app.chat;

import io.rustbucket.bucketchat.crypto.Ed25519;
import io.rustbucket.core.json.Json;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code bucketchat keys generate|export}. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage your signing key.")
final class ChatKeysCommand {
    @ParentCommand
    BucketChatCommand chat;

    @Command(
            name = "generate",
            mixinStandardHelpOptions = true,
            description = "Create your Ed25519 key (kept in DATA/bucketchat/keys, mode 0600); prints the public key.")
    int generate() {
        Ed25519.Keys keys = chat.keys().generate(chat.sender());
        System.out.println(keys.publicKeyBase64());
        return 0;
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Print your public key as a key file for 'verify --keys'.")
    int export() {
        String sender = chat.sender();
        Ed25519.Keys keys = chat.keys().load(sender);
        System.out.println(Json.write(Map.of("public_keys", Map.of(sender, keys.publicKeyBase64()))));
        return 0;
    }
}
