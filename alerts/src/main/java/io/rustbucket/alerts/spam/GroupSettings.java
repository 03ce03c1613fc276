package io.rustbucket.alerts.spam;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One group's spam settings (a Telegram group, a Bucket Chat room, a sensor's captured mail). Null fields take
 * the defaults below, so a partial JSON update keeps working as the defaults improve.
 *
 * @param threshold combined score at or above which a message is spam
 * @param strictThreshold the same for a user's first {@code strictMessages} messages in the group
 * @param emojiLimit more emoji than this fires the emoji check
 * @param allowedDomains link domains (and their subdomains) that never fire the link check
 * @param allowedMentions {@code @names} that never fire the mention check
 * @param stopWords phrases that mark spam on their own (matched on words, case-insensitively); null = built-in list
 * @param similarityThreshold similarity to a known spam sample at or above which the similarity check fires
 * @param llmThreshold the model's confidence needed for its answer to count
 * @param llmPrompt the group's instructions to the model; null = the built-in prompt
 * @param dryRun only log and report, whatever {@code action} says
 * @param trustedUsers user ids that bypass every check
 * @param adminChat where reports go (a Telegram chat id); null = nowhere
 * @param floodRepeats the same text this many times within {@code floodWindowSecs} fires the flood check
 */
public record GroupSettings(
        String title,
        Double threshold,
        Double strictThreshold,
        Integer strictMessages,
        Integer emojiLimit,
        Set<String> allowedDomains,
        Set<String> allowedMentions,
        List<String> stopWords,
        Double similarityThreshold,
        LlmMode llmMode,
        String llmModel,
        String llmPrompt,
        Double llmThreshold,
        SpamAction action,
        Boolean dryRun,
        Set<String> trustedUsers,
        String adminChat,
        Integer floodRepeats,
        Integer floodWindowSecs) {

    public static final Set<String> DEFAULT_ALLOWED_DOMAINS = Set.of(
            "github.com",
            "gitlab.com",
            "githubusercontent.com",
            "wikipedia.org",
            "stackoverflow.com",
            "stackexchange.com",
            "python.org",
            "openjdk.org",
            "apache.org",
            "mozilla.org",
            "kernel.org",
            "debian.org",
            "ubuntu.com",
            "docker.com",
            "kubernetes.io",
            "owasp.org",
            "mitre.org",
            "nist.gov",
            "cve.org",
            "habr.com",
            "youtube.com",
            "youtu.be",
            "google.com",
            "microsoft.com",
            "cloudflare.com");

    public GroupSettings {
        title = title == null ? "" : title.strip();
        threshold = range(threshold, 0.8, "threshold");
        strictThreshold = range(strictThreshold, 0.45, "strict_threshold");
        strictMessages = count(strictMessages, 3, 0, 1000, "strict_messages");
        emojiLimit = count(emojiLimit, 5, 0, 1000, "emoji_limit");
        allowedDomains = lower(allowedDomains == null ? DEFAULT_ALLOWED_DOMAINS : allowedDomains);
        allowedMentions = lower(allowedMentions == null ? Set.of() : allowedMentions).stream()
                .map(m -> m.startsWith("@") ? m.substring(1) : m)
                .collect(Collectors.toUnmodifiableSet());
        stopWords = stopWords == null ? null : List.copyOf(stopWords);
        similarityThreshold = range(similarityThreshold, 0.6, "similarity_threshold");
        llmMode = llmMode == null ? LlmMode.OFF : llmMode;
        llmModel = llmModel == null || llmModel.isBlank() ? null : llmModel.strip();
        llmPrompt = llmPrompt == null || llmPrompt.isBlank() ? null : llmPrompt;
        if (llmPrompt != null && llmPrompt.length() > 4000) {
            throw new IllegalArgumentException("llm_prompt is longer than 4000 characters");
        }
        llmThreshold = range(llmThreshold, 0.7, "llm_threshold");
        action = action == null || action == SpamAction.NONE ? SpamAction.DELETE : action;
        dryRun = dryRun != null && dryRun;
        trustedUsers = trustedUsers == null ? Set.of() : Set.copyOf(trustedUsers);
        adminChat = adminChat == null || adminChat.isBlank() ? null : adminChat.strip();
        floodRepeats = count(floodRepeats, 3, 2, 100, "flood_repeats");
        floodWindowSecs = count(floodWindowSecs, 60, 1, 86_400, "flood_window_secs");
        if (allowedDomains.size() > 1000 || allowedMentions.size() > 1000 || trustedUsers.size() > 10_000) {
            throw new IllegalArgumentException("allow lists are limited to 1000 entries (trusted_users to 10000)");
        }
        if (stopWords != null && stopWords.size() > 2000) {
            throw new IllegalArgumentException("stop_words is limited to 2000 phrases");
        }
    }

    public static GroupSettings defaults() {
        return new GroupSettings(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    /** The action the bot takes: {@code report} in a dry run. */
    /** The same settings under another title (a linked Telegram group takes its chat's title). */
    public GroupSettings withTitle(String newTitle) {
        return new GroupSettings(
                newTitle,
                threshold,
                strictThreshold,
                strictMessages,
                emojiLimit,
                allowedDomains,
                allowedMentions,
                stopWords,
                similarityThreshold,
                llmMode,
                llmModel,
                llmPrompt,
                llmThreshold,
                action,
                dryRun,
                trustedUsers,
                adminChat,
                floodRepeats,
                floodWindowSecs);
    }

    public SpamAction effectiveAction() {
        return dryRun ? SpamAction.REPORT : action;
    }

    /** Tells whether a link host is allowed: the domain itself or a subdomain of it. */
    public boolean allowsDomain(String host) {
        for (String d = host; ; ) {
            if (allowedDomains.contains(d)) {
                return true;
            }
            int dot = d.indexOf('.');
            if (dot < 0 || d.indexOf('.', dot + 1) < 0) {
                return false;
            }
            d = d.substring(dot + 1);
        }
    }

    private static double range(Double v, double dflt, String key) {
        double x = v == null ? dflt : v;
        if (!(x >= 0 && x <= 1)) {
            throw new IllegalArgumentException(key + " must be 0..1, got " + v);
        }
        return x;
    }

    private static int count(Integer v, int dflt, int min, int max, String key) {
        int x = v == null ? dflt : v;
        if (x < min || x > max) {
            throw new IllegalArgumentException(key + " must be " + min + ".." + max + ", got " + v);
        }
        return x;
    }

    private static Set<String> lower(Set<String> s) {
        return s.stream()
                .filter(x -> x != null && !x.isBlank())
                .map(x -> x.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }
}
