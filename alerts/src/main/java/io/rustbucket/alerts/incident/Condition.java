package io.rustbucket.alerts.incident;

/**
 * A condition a monitor sees right now. The same {@code ruleKey} on the next run is the same incident.
 *
 * @param ruleKey {@code <monitor>/<subject>}, e.g. {@code storage/disk}, {@code sensors/unseen/s-12}
 * @param observed the measured value (count, free GB, minutes unseen), for the record
 */
public record Condition(String ruleKey, String kind, Severity severity, String title, String detail, double observed) {
    public Condition {
        if (ruleKey.indexOf('/') <= 0) {
            throw new IllegalArgumentException("rule key must start with the monitor's name: " + ruleKey);
        }
        title = title.length() > 500 ? title.substring(0, 500) : title;
    }

    public String monitor() {
        return ruleKey.substring(0, ruleKey.indexOf('/'));
    }
}
