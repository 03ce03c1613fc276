package io.rustbucket.alerts.spam;

import java.util.List;

/**
 * What the engine decided and why.
 *
 * @param score combined evidence 0..1 of the checks that ran (after the model's word, when it spoke)
 * @param strict the sender was new to the group, so the strict threshold applied
 * @param action what the group's settings say to do with it ({@code none} for ham)
 */
public record SpamVerdict(boolean spam, double score, boolean strict, SpamAction action, List<CheckResult> checks) {
    public SpamVerdict {
        checks = List.copyOf(checks);
    }

    public List<String> fired() {
        return checks.stream().filter(CheckResult::fired).map(CheckResult::name).toList();
    }
}
