package org.netroot.app.bench;

import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import org.testfx.api.FxRobot;

import java.util.ArrayList;
import java.util.List;

/**
 * A TestFX robot that counts what a person would do: each click, each key press or shortcut, and
 * each typed text (a name typed is one interaction however long it is, as issue 11 counts it), and
 * keeps every step with a label so the report can list the path. Waiting is not an interaction.
 */
final class CountingRobot {
    enum Kind { CLICK, KEY, TYPE }

    /** One interaction: what kind, what it was for (in words), and what was clicked, pressed or typed. */
    record Step(Kind kind, String label, String what) {
    }

    private final FxRobot robot;
    private final List<Step> steps = new ArrayList<>();

    CountingRobot(FxRobot robot) {
        this.robot = robot;
    }

    /** One click on the node {@code query} finds (a CSS id such as {@code #wizard-next}). */
    void click(String label, String query) {
        robot.clickOn(query);
        steps.add(new Step(Kind.CLICK, label, query));
    }

    /** One click on {@code node}, described as {@code what}. */
    void click(String label, Node node, String what) {
        robot.clickOn(node);
        steps.add(new Step(Kind.CLICK, label, what));
    }

    /** One key press, or one shortcut (Ctrl+A is one, as a person presses it at once). */
    void press(String label, KeyCode... keys) {
        robot.push(keys);
        steps.add(new Step(Kind.KEY, label, keyNames(keys)));
    }

    /** One typed text into the focused field. */
    void type(String label, String text) {
        robot.write(text);
        steps.add(new Step(Kind.TYPE, label, "\"" + text + "\""));
    }

    List<Step> steps() {
        return List.copyOf(steps);
    }

    long count(Kind kind) {
        return steps.stream().filter(s -> s.kind() == kind).count();
    }

    int total() {
        return steps.size();
    }

    private static String keyNames(KeyCode... keys) {
        List<String> names = new ArrayList<>();
        for (KeyCode k : keys) names.add(k.getName());
        return String.join("+", names);
    }
}
