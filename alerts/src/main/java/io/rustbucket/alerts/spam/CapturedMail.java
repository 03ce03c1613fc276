package io.rustbucket.alerts.spam;

import io.rustbucket.logs.ecs.LogEvent;
import io.rustbucket.logs.search.LiveTail;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mail the sensor's SMTP honeypot captured, judged as it is indexed: the log platform's live tail of
 * {@code mail.message} events feeds the spam filter (group {@code sensor-mail:<sensor>}, sender = the source IP),
 * so the verdict log shows what spam runs hit the honeypot. Nothing is acted on: it is intelligence. Overflow
 * policy: the tail's bounded buffer drops what the filter cannot keep up with, and the drops are counted; mail that
 * arrives while alerts are down is not judged later.
 */
public final class CapturedMail implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CapturedMail.class);
    public static final String GROUP_PREFIX = "sensor-mail:";

    private final SpamFilter spam;
    private final LiveTail.Subscription subscription;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong judged = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread worker;

    public CapturedMail(SpamFilter spam, LiveTail tail) {
        this.spam = spam;
        this.subscription = tail.subscribe(e -> "mail.message".equals(e.ecs().get("event.action")));
        this.worker = Thread.ofPlatform().daemon().name("spam-captured-mail").start(this::run);
    }

    private void run() {
        while (running.get()) {
            try {
                LogEvent e = subscription.next(250);
                dropped.addAndGet(subscription.takeDropped());
                if (e != null) {
                    judge(e);
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException ex) { // one bad mail or a database hiccup must not stop the feed
                log.warn("judging a captured mail failed: {}", ex.getMessage());
            }
        }
    }

    void judge(LogEvent e) {
        String raw = e.ecs().getOrDefault("honeypot.input", "");
        String sensor = e.ecs().getOrDefault("observer.name", "sensor");
        spam.check(
                new SpamMessage(
                        GROUP_PREFIX + sensor,
                        e.ecs().get("source.ip"),
                        e.ecs().get("source.ip"),
                        readable(raw),
                        false,
                        false),
                e.id());
        judged.incrementAndGet();
    }

    /** The subject and the body of a raw message: headers other than the subject are routing noise. */
    static String readable(String raw) {
        String text = raw.replace("\r\n", "\n");
        int end = text.indexOf("\n\n");
        String headers = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 2);
        String subject = "";
        for (String line : headers.split("\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("subject:")) {
                subject = line.substring("subject:".length()).strip();
            }
        }
        String joined = (subject + "\n" + body).strip();
        return joined.length() > MessageText.MAX_CHARS ? joined.substring(0, MessageText.MAX_CHARS) : joined;
    }

    public long judged() {
        return judged.get();
    }

    public long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        running.set(false);
        worker.interrupt();
        subscription.close();
    }
}
