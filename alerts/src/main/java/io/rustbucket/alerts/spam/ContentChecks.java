package io.rustbucket.alerts.spam;

import java.util.List;

/**
 * The cheap deterministic checks, run on every message before anything learned. Each fires with a fixed weight
 * (log-odds added to the verdict): a stop word or words dressed up in mixed scripts are strong evidence on their
 * own; a link, a mention, an e-mail address or a pile of emoji is weak evidence that only adds up with more.
 */
final class ContentChecks {
    static final double STOP_WORD = 4.5;
    static final double MIXED_SCRIPT = 3.5;
    static final double LINK = 1.2;
    static final double MENTION = 1.0;
    static final double EMAIL = 1.0;
    static final double EMOJI = 1.0;

    private ContentChecks() {}

    static List<CheckResult> run(MessageText m, GroupSettings g, StopWords stopWords) {
        return List.of(stopWord(m, stopWords), mixedScript(m), links(m, g), mentions(m, g), emails(m), emoji(m, g));
    }

    static CheckResult stopWord(MessageText m, StopWords stopWords) {
        return stopWords
                .find(m.words())
                .map(p -> CheckResult.fire("stop_word", STOP_WORD, "contains \"" + p + "\""))
                .orElse(CheckResult.pass("stop_word", "no stop phrase"));
    }

    static CheckResult mixedScript(MessageText m) {
        // One odd word can be a product name; two or more is someone evading word filters.
        return m.mixedScriptWords().size() >= 2
                ? CheckResult.fire(
                        "mixed_script",
                        MIXED_SCRIPT,
                        m.mixedScriptWords().size() + " words mix Latin and Cyrillic letters")
                : CheckResult.pass("mixed_script", "no disguised words");
    }

    static CheckResult links(MessageText m, GroupSettings g) {
        List<String> foreign =
                m.domains().stream().filter(d -> !g.allowsDomain(d)).distinct().toList();
        return foreign.isEmpty()
                ? CheckResult.pass("links", m.domains().isEmpty() ? "no links" : "links to allowed domains only")
                : CheckResult.fire("links", LINK, "links to " + String.join(", ", limit(foreign)));
    }

    static CheckResult mentions(MessageText m, GroupSettings g) {
        List<String> foreign = m.mentions().stream()
                .filter(x -> !g.allowedMentions().contains(x))
                .distinct()
                .toList();
        return foreign.isEmpty()
                ? CheckResult.pass("mentions", "no mentions outside the allow list")
                : CheckResult.fire("mentions", MENTION, "mentions @" + String.join(", @", limit(foreign)));
    }

    static CheckResult emails(MessageText m) {
        return m.emails().isEmpty()
                ? CheckResult.pass("emails", "no e-mail addresses")
                : CheckResult.fire(
                        "emails", EMAIL, "e-mail address " + m.emails().getFirst());
    }

    static CheckResult emoji(MessageText m, GroupSettings g) {
        return m.emoji() > g.emojiLimit()
                ? CheckResult.fire("emoji", EMOJI, m.emoji() + " emoji (limit " + g.emojiLimit() + ")")
                : CheckResult.pass("emoji", m.emoji() + " emoji");
    }

    private static List<String> limit(List<String> xs) {
        return xs.size() > 3 ? xs.subList(0, 3) : xs;
    }
}
