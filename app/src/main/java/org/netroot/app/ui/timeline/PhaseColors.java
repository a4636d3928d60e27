package org.netroot.app.ui.timeline;

import javafx.scene.paint.Color;

/** One colour per phase, shared by the bars and the legend; readable on light and dark themes. */
final class PhaseColors {
    private PhaseColors() {
    }

    static Color of(BootPhase phase) {
        return switch (phase) {
            case DHCP -> Color.web("#3b82f6");
            case BOOT_FILE -> Color.web("#8b5cf6");
            case SCRIPT -> Color.web("#14b8a6");
            case ISCSI_LOGIN -> Color.web("#f59e0b");
            case FIRST_READ -> Color.web("#ec4899");
            case OS_READING -> Color.web("#22c55e");
            case HANDED_OVER -> Color.web("#64748b");
            case FAILED -> Color.web("#dc2626");
        };
    }
}
