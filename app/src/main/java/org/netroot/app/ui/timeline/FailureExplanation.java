package org.netroot.app.ui.timeline;

/** A failed boot step in words: what went wrong, and what to do about it ({@code fix} is empty when unknown). */
public record FailureExplanation(String headline, String fix) {
    public boolean hasFix() {
        return fix != null && !fix.isEmpty();
    }
}
