package io.rustbucket.alerts.spam;

import java.net.IDN;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the checks look at in a message, extracted in one pass: words (normalised for the classifiers), link
 * domains, mentions, e-mail addresses, emoji and mixed-script words. Bounded: only the first
 * {@link #MAX_CHARS} characters are read.
 *
 * @param words lower-cased word tokens, Latin look-alikes inside Cyrillic words folded to Cyrillic
 * @param features the tokens the classifiers learn from: words plus {@code dom:}, {@code has:} markers
 */
public record MessageText(
        String text,
        List<String> words,
        Set<String> features,
        List<String> domains,
        List<String> mentions,
        List<String> emails,
        int emoji,
        List<String> mixedScriptWords) {
    public static final int MAX_CHARS = 8192;

    private static final Pattern URL = Pattern.compile(
            "(?i)\\b(?:https?://|www\\.)[^\\s<>\"']+|\\b(?:[a-z0-9-]{1,63}\\.)+(?:[a-z]{2,24})(?:/[^\\s<>\"']*)?",
            Pattern.UNICODE_CASE);
    private static final Pattern EMAIL =
            Pattern.compile("(?i)\\b[a-z0-9._%+-]{1,64}@(?:[a-z0-9-]{1,63}\\.)+[a-z]{2,24}\\b");
    private static final Pattern MENTION = Pattern.compile("(?<![\\w@])@([A-Za-z][A-Za-z0-9_]{3,31})\\b");
    /** Common top-level domains: a bare {@code word.word} is a link only with one of these (not "e.g.", "v1.2"). */
    private static final Set<String> BARE_TLDS = Set.of(
            "com", "net", "org", "ru", "me", "io", "info", "biz", "xyz", "top", "site", "online", "shop", "club",
            "link", "live", "pro", "app", "dev", "co", "uk", "de", "ua", "by", "kz", "su", "cc", "ly", "gl", "to", "gg",
            "tk", "ml", "ga", "cf", "win", "bet", "casino", "store", "fun", "space", "click", "ws", "in");

    /** Latin letters that look like Cyrillic ones, as spammers swap them to dodge word filters. */
    private static final String LATIN_LOOKALIKES = "aeopcxykmthbAEOPCXYKMTHB";

    private static final String CYRILLIC_TWINS = "аеорсхукмтнвАЕОРСХУКМТНВ";

    public static MessageText of(String raw) {
        String text = raw == null ? "" : raw.length() > MAX_CHARS ? raw.substring(0, MAX_CHARS) : raw;
        List<String> emails = new ArrayList<>();
        Matcher em = EMAIL.matcher(text);
        while (em.find()) {
            emails.add(em.group().toLowerCase(Locale.ROOT));
        }
        String withoutEmails = emails.isEmpty() ? text : EMAIL.matcher(text).replaceAll(" ");
        List<String> domains = new ArrayList<>();
        Matcher um = URL.matcher(withoutEmails);
        while (um.find()) {
            String d = domainOf(um.group());
            if (d != null) {
                domains.add(d);
            }
        }
        List<String> mentions = new ArrayList<>();
        Matcher mm = MENTION.matcher(text);
        while (mm.find()) {
            mentions.add(mm.group(1).toLowerCase(Locale.ROOT));
        }
        List<String> words = new ArrayList<>();
        List<String> mixed = new ArrayList<>();
        int emoji = scanWords(text, words, mixed);
        Set<String> features = new LinkedHashSet<>(words);
        for (String d : domains) {
            features.add("dom:" + registrable(d));
        }
        if (!domains.isEmpty()) {
            features.add("has:link");
        }
        if (!mentions.isEmpty()) {
            features.add("has:mention");
        }
        if (!emails.isEmpty()) {
            features.add("has:email");
        }
        if (emoji > 0) {
            features.add(emoji > 5 ? "has:emoji-many" : "has:emoji");
        }
        if (!mixed.isEmpty()) {
            features.add("has:mixed-script");
        }
        return new MessageText(text, words, features, domains, mentions, emails, emoji, mixed);
    }

    /** Splits into words, counting emoji and noting words that mix Cyrillic with Latin look-alikes. */
    private static int scanWords(String text, List<String> words, List<String> mixed) {
        int emoji = 0;
        StringBuilder word = new StringBuilder();
        boolean cyr = false;
        boolean lat = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                Character.UnicodeScript script = Character.UnicodeScript.of(cp);
                cyr |= script == Character.UnicodeScript.CYRILLIC;
                lat |= script == Character.UnicodeScript.LATIN;
                word.appendCodePoint(cp);
                continue;
            }
            if (isEmoji(cp)) {
                emoji++;
            }
            flush(word, cyr, lat, words, mixed);
            cyr = false;
            lat = false;
        }
        flush(word, cyr, lat, words, mixed);
        return emoji;
    }

    private static void flush(StringBuilder word, boolean cyr, boolean lat, List<String> words, List<String> mixed) {
        if (word.isEmpty()) {
            return;
        }
        String w = word.toString();
        word.setLength(0);
        if (cyr && lat) {
            mixed.add(w);
            w = foldLookalikes(w);
        }
        if (w.length() < 2 || w.length() > 40) {
            return;
        }
        w = w.toLowerCase(Locale.ROOT);
        words.add(w.chars().allMatch(Character::isDigit) ? "#num" : w);
    }

    private static String foldLookalikes(String w) {
        StringBuilder b = new StringBuilder(w.length());
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            int at = LATIN_LOOKALIKES.indexOf(c);
            b.append(at >= 0 ? CYRILLIC_TWINS.charAt(at) : c);
        }
        return b.toString();
    }

    static boolean isEmoji(int cp) {
        return (cp >= 0x1F300 && cp <= 0x1FAFF)
                || (cp >= 0x2600 && cp <= 0x27BF)
                || (cp >= 0x1F000 && cp <= 0x1F2FF)
                || (cp >= 0x2B00 && cp <= 0x2BFF && cp != 0x2BD1);
    }

    /** The host of a link, lower-cased and IDN-decoded, or null when it is not a plausible link. */
    static String domainOf(String link) {
        String s = link.replaceFirst("(?i)^https?://", "").replaceFirst("(?i)^www\\.", "www.");
        int end = 0;
        while (end < s.length() && "/?#:".indexOf(s.charAt(end)) < 0) {
            end++;
        }
        String host = s.substring(0, end).toLowerCase(Locale.ROOT).replaceAll("\\.+$", "");
        if (host.startsWith("www.")) {
            host = host.substring(4);
        }
        int dot = host.lastIndexOf('.');
        if (dot <= 0) {
            return null;
        }
        boolean explicit = link.regionMatches(true, 0, "http", 0, 4) || link.regionMatches(true, 0, "www.", 0, 4);
        if (!explicit && !BARE_TLDS.contains(host.substring(dot + 1))) {
            return null;
        }
        try {
            return IDN.toUnicode(host);
        } catch (IllegalArgumentException e) {
            return host;
        }
    }

    /** The last two labels of a host ({@code t.me}, {@code example.com}): what allow lists and features name. */
    static String registrable(String host) {
        int last = host.lastIndexOf('.');
        int prev = last > 0 ? host.lastIndexOf('.', last - 1) : -1;
        return prev < 0 ? host : host.substring(prev + 1);
    }
}
