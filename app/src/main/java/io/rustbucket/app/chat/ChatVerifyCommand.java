package io.rustbucket.app.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.bucketchat.client.BucketChatClient;
import io.rustbucket.bucketchat.client.RoomVerification;
import io.rustbucket.bucketchat.client.SignatureStatus;
import io.rustbucket.bucketchat.crypto.Ed25519;
import io.rustbucket.bucketchat.crypto.EventSigner;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.store.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bucketchat verify ROOM}: proves what is authentic. Exit 0 when every event is validly signed, every
 * chain intact and nothing malformed; 1 when any problem is found; 2 for usage errors.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = "Verify every signature and hash chain of a room.")
final class ChatVerifyCommand implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    BucketChatCommand chat;

    @Parameters(paramLabel = "ROOM")
    String room;

    @Option(
            names = "--keys",
            paramLabel = "FILE",
            description = "extra public keys: {\"public_keys\": {\"<sender_id>\": \"<base64 raw key>\"}}")
    Path keysFile;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() {
        Map<String, String> keys = keysFile == null ? Map.of() : readKeys(keysFile);
        RoomVerification v;
        try (ObjectStore s = chat.openStore();
                // Verification needs no identity of one's own: a throw-away signer that never writes.
                BucketChatClient c = BucketChatClient.open(
                        s,
                        room,
                        new EventSigner("verifier", Ed25519.generate()),
                        Clock.systemUTC(),
                        BucketChatCommand.OPTIONS)) {
            v = c.verify(keys);
        }
        if (json) {
            System.out.println(Json.write(report(v)));
        } else {
            printHuman(v);
        }
        return v.clean() ? 0 : 1;
    }

    static Map<String, Object> report(RoomVerification v) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("room", v.roomId());
        o.put("events", v.timeline().size());
        o.put("files", v.files());
        o.put(
                "signatures",
                Map.of(
                        "valid", v.withStatus(SignatureStatus.VALID).size(),
                        "invalid", v.withStatus(SignatureStatus.INVALID_SIGNATURE),
                        "unverified", v.withStatus(SignatureStatus.UNVERIFIED)));
        Map<String, Object> chains = new LinkedHashMap<>();
        v.chains()
                .forEach((sender, c) ->
                        chains.put(sender, Map.of("status", c.status().name(), "at", c.at())));
        o.put("chains", chains);
        o.put(
                "malformed",
                v.malformed().stream()
                        .map(m -> Map.of("file", m.file(), "line", m.line(), "reason", m.reason()))
                        .toList());
        o.put(
                "state",
                Map.of(
                        "members",
                        v.state().members(),
                        "visible_messages",
                        v.state().messages().size()));
        // EXT: events stored more than once (harmless copies, or conflicting ones).
        o.put(
                "duplicates",
                v.duplicates().stream()
                        .map(d -> Map.of("event_id", d.eventId(), "files", d.files(), "conflicting", d.conflicting()))
                        .toList());
        return o;
    }

    private static void printHuman(RoomVerification v) {
        System.out.printf(
                "room %s: %d events in %d files%n",
                Terminal.safe(v.roomId()), v.timeline().size(), v.files());
        System.out.printf(
                "signatures: %d valid, %d invalid, %d unverified%n",
                v.withStatus(SignatureStatus.VALID).size(),
                v.withStatus(SignatureStatus.INVALID_SIGNATURE).size(),
                v.withStatus(SignatureStatus.UNVERIFIED).size());
        v.withStatus(SignatureStatus.INVALID_SIGNATURE)
                .forEach(id -> System.out.println("  invalid: " + Terminal.safe(id)));
        v.chains()
                .forEach((sender, c) -> System.out.println("chain " + Terminal.safe(sender) + ": " + c.status()
                        + (c.at().isEmpty() ? "" : " at " + Terminal.safe(String.join(", ", c.at())))));
        v.malformed()
                .forEach(m -> System.out.println(
                        "malformed " + Terminal.safe(m.file()) + ":" + m.line() + ": " + Terminal.safe(m.reason())));
        v.duplicates()
                .forEach(d -> System.out.println((d.conflicting() ? "CONFLICTING duplicate " : "duplicate ")
                        + Terminal.safe(d.eventId()) + " in " + d.files().size() + " files"));
        System.out.println("members: " + Terminal.safe(v.state().members().toString()) + "; visible messages: "
                + v.state().messages().size());
        System.out.println(v.clean() ? "OK: everything is authentic and intact" : "PROBLEMS FOUND");
    }

    private static Map<String, String> readKeys(Path file) {
        try {
            JsonNode n = Json.mapper().readTree(Files.readString(file)).path("public_keys");
            if (!n.isObject()) {
                throw new IllegalArgumentException(
                        file + ": expected {\"public_keys\": {\"<sender_id>\": \"<base64 key>\"}}");
            }
            Map<String, String> keys = new HashMap<>();
            n.properties().forEach(e -> keys.put(e.getKey(), e.getValue().asText()));
            return keys;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read key file " + file + ": " + e.getMessage());
        }
    }
}
