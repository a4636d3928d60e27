package org.netroot.server.iscsi;

/**
 * The Function field of a Task Management Function Request (RFC 7143 §11.5.1), by name: the numbers
 * are easy to swap (3 is CLEAR ACA, 4 CLEAR TASK SET), and a swap once left CLEAR TASK SET clearing nothing.
 */
final class TaskFunction {
    static final int ABORT_TASK = 1;
    static final int ABORT_TASK_SET = 2;
    static final int CLEAR_ACA = 3;
    static final int CLEAR_TASK_SET = 4;
    static final int LOGICAL_UNIT_RESET = 5;
    static final int TARGET_WARM_RESET = 6;
    static final int TARGET_COLD_RESET = 7;
    static final int TASK_REASSIGN = 8;

    private TaskFunction() {
    }

    /** How the spec names a reset function (LOGICAL UNIT RESET, TARGET WARM RESET, TARGET COLD RESET). */
    static String resetName(int function) {
        return switch (function) {
            case LOGICAL_UNIT_RESET -> "LOGICAL UNIT RESET";
            case TARGET_WARM_RESET -> "TARGET WARM RESET";
            case TARGET_COLD_RESET -> "TARGET COLD RESET";
            default -> throw new IllegalArgumentException("not a reset: function " + function);
        };
    }

    /** The function of a task management request. */
    static int of(Bhs request) {
        return request.flags() & 0x7f;
    }
}
