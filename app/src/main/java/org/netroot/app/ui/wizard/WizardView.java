package org.netroot.app.ui.wizard;

import java.util.EnumMap;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The wizard's content: the steps across the top, the current page, then the busy and error lines and
 * Back / Cancel / Next (Finish on the last page). Next is the default button (Enter), Cancel the
 * cancel button (Escape).
 */
public final class WizardView {
    private final WizardViewModel vm;
    private final BorderPane root = new BorderPane();
    private final StackPane content = new StackPane();
    private final Map<WizardStep, Node> pages = new EnumMap<>(WizardStep.class);
    private final Button next = new Button("Next");
    private final Button back = new Button("Back");
    private final Button cancel = new Button("Cancel");

    public WizardView(WizardViewModel vm) {
        this.vm = vm;
        for (WizardStep s : WizardStep.values()) pages.put(s, WizardPages.page(s, vm));
        root.getStyleClass().add("wizard");
        root.setPadding(new Insets(20));
        root.setTop(stepsBar());
        content.setPadding(new Insets(16, 0, 16, 0));
        content.setAlignment(Pos.TOP_LEFT);
        root.setCenter(content);
        root.setBottom(bottom());
        vm.step().addListener((o, was, now) -> show(now));
        show(vm.step().get());
        root.addEventFilter(KeyEvent.KEY_PRESSED, this::keys);
    }

    /**
     * Enter = Next and Escape = Cancel wherever the focus is: radio buttons and lists take Enter for
     * themselves before the default button sees it. A focused Back, Cancel or other push button keeps its own.
     */
    private void keys(KeyEvent e) {
        boolean onOtherButton = e.getTarget() instanceof Button b && b != next; // radio buttons are ButtonBase too
        if (e.getCode() == KeyCode.ENTER && !onOtherButton) {
            e.consume();
            if (!next.isDisabled()) next.fire();
        } else if (e.getCode() == KeyCode.ESCAPE) {
            e.consume();
            cancel.fire();
        }
    }

    private Parent stepsBar() {
        HBox bar = new HBox(16);
        for (WizardStep s : WizardStep.values()) {
            Label l = new Label((s.ordinal() + 1) + "  " + s.title());
            l.setId("wizard-step-" + s.name().toLowerCase());
            Runnable style = () -> l.getStyleClass().setAll("label", s == vm.step().get() ? "accent" : "text-muted");
            vm.step().addListener((o, was, now) -> style.run());
            style.run();
            bar.getChildren().add(l);
        }
        return bar;
    }

    private Parent bottom() {
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(18, 18);
        Label busyText = new Label();
        busyText.textProperty().bind(vm.busyText());
        HBox busy = new HBox(8, spinner, busyText);
        busy.setId("wizard-busy");
        busy.setAlignment(Pos.CENTER_LEFT);
        busy.visibleProperty().bind(vm.busy());
        busy.managedProperty().bind(vm.busy());
        Label error = new Label();
        error.setId("wizard-error");
        error.setWrapText(true);
        error.getStyleClass().add("danger");
        error.textProperty().bind(vm.error());
        error.visibleProperty().bind(Bindings.isNotEmpty(vm.error()));
        error.managedProperty().bind(error.visibleProperty());

        next.setId("wizard-next");
        next.setDefaultButton(true);
        next.getStyleClass().add("accent");
        next.disableProperty().bind(vm.busy());
        next.setOnAction(e -> vm.next());
        back.setId("wizard-back");
        back.disableProperty().bind(vm.busy().or(vm.step().isEqualTo(WizardStep.INTERFACE)));
        back.setOnAction(e -> vm.back());
        cancel.setId("wizard-cancel");
        cancel.setCancelButton(true);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox buttons = new HBox(8, grow, cancel, back, next);
        return new VBox(8, busy, error, buttons);
    }

    private void show(WizardStep step) {
        content.getChildren().setAll(pages.get(step));
        next.setText(step.last() ? "Finish" : "Next");
        Node first = pages.get(step).lookup(".list-view, .radio-button:selected, .text-field");
        if (first != null) first.requestFocus();
    }

    public Parent root() {
        return root;
    }

    /** Escape and the Cancel button: the dialog decides what closing means. */
    public Button cancelButton() {
        return cancel;
    }
}
