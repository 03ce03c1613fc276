package io.rustbucket.alerts.spam;

/**
 * One check's finding on one message, as the check API and the spam log show it.
 *
 * @param weight what this check added to the verdict's log-odds of spam (negative: evidence of ham; 0: none)
 */
public record CheckResult(String name, boolean fired, double weight, String detail) {
    public static CheckResult pass(String name, String detail) {
        return new CheckResult(name, false, 0, detail);
    }

    public static CheckResult fire(String name, double weight, String detail) {
        return new CheckResult(name, true, weight, detail);
    }
}
