package org.netroot.app.ui.clients;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.netroot.app.ui.common.Icons;
import org.netroot.server.api.Asset;
import org.netroot.server.api.AssetKind;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.KernelBoot;
import org.netroot.server.api.RamdiskBoot;

/**
 * The client dialog's Boot section: the mode, a plain sentence each, and below it only the fields
 * the chosen mode needs. Asset choosers list the library's assets of the right kind; a command line
 * is a shipped template's name or free text. Every mode's fields live on while another is shown, so
 * nothing typed is lost by looking at another mode.
 */
final class BootSection {
    /** An optional asset left out (an initrd a kernel does without). */
    static final String NONE = "(none)";
    /** A menu whose default the server picks: the volume, or the local disk without one. */
    static final String AUTOMATIC = "(automatic)";

    private final BootForm form;
    private final List<Asset> assets;
    private final GridPane grid = new GridPane();
    private final Map<BootMode, List<Node[]>> rows = new EnumMap<>(BootMode.class);

    private BootSection(BootForm form, List<Asset> assets) {
        this.form = form;
        this.assets = assets;
    }

    /** @param resized called after the fields changed with the mode (the dialog fits itself to them) */
    static Node of(BootForm form, List<Asset> assets, Runnable resized) {
        return new BootSection(form, assets).build(resized);
    }

    private Node build(Runnable resized) {
        grid.setHgap(10);
        grid.setVgap(8);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        fields.setFillWidth(true);
        grid.getColumnConstraints().addAll(labels, fields);

        ComboBox<BootMode> mode = new ComboBox<>();
        mode.setId("boot-mode");
        mode.getItems().setAll(BootMode.values());
        mode.setConverter(new StringConverter<>() {
            @Override
            public String toString(BootMode m) {
                return m == null ? "" : BootModeLook.sentence(m);
            }

            @Override
            public BootMode fromString(String s) {
                return null;
            }
        });
        mode.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(BootMode m, boolean empty) {
                super.updateItem(m, empty);
                setText(empty || m == null ? null : BootModeLook.sentence(m));
                setGraphic(empty || m == null ? null : Icons.of(BootModeLook.icon(m)));
            }
        });
        mode.setMaxWidth(Double.MAX_VALUE);
        mode.valueProperty().bindBidirectional(form.mode());
        grid.addRow(0, new Label("Boot"), mode);

        rows.put(BootMode.KERNEL, List.of(
                row("Kernel", assetChoice("kernel-kernel", form.kernel(), false, AssetKind.KERNEL)),
                row("Initrd", assetChoice("kernel-initrd", form.kernelInitrd(), true, AssetKind.INITRD)),
                row("Command line", cmdline("kernel-cmdline", form.kernelCmdline(), KernelBoot.SHIPPED_TEMPLATES,
                        "debian-iscsi, or your own: root=/dev/sda1 ip=${ip} ..."))));
        rows.put(BootMode.RAMDISK, List.of(
                row("Kernel", assetChoice("ramdisk-kernel", form.ramdiskKernel(), false, AssetKind.KERNEL)),
                row("Initrd", assetChoice("ramdisk-initrd", form.ramdiskInitrd(), true, AssetKind.INITRD)),
                row("Root image", assetChoice("ramdisk-root-image", form.rootImage(), false, AssetKind.ROOT_IMAGE)),
                row("Command line", cmdline("ramdisk-cmdline", form.ramdiskCmdline(), RamdiskBoot.SHIPPED_TEMPLATES,
                        "live-fetch (blank), or with ${root-image-url}"))));
        CheckBox then = new CheckBox("Then boot the installed volume normally");
        then.setTooltip(new Tooltip("After the client's first boot from the volume the installer wrote, its mode"
                + " switches to normal boot (sanboot)"));
        then.setWrapText(true);
        then.setId("install-then-sanboot");
        then.selectedProperty().bindBidirectional(form.thenSanboot());
        rows.put(BootMode.INSTALL, List.of(
                row("Installer", assetChoice("install-installer", form.installer(), false, AssetKind.ISO,
                        AssetKind.KERNEL)),
                row("Initrd", assetChoice("install-initrd", form.installInitrd(), true, AssetKind.INITRD)),
                row("Command line", cmdline("install-cmdline", form.installCmdline(), List.of(),
                        "a kernel installer's arguments (none for an ISO)")),
                new Node[] {null, then}));
        TextField timeout = new TextField();
        timeout.setId("menu-timeout");
        timeout.setPrefColumnCount(5);
        timeout.setMaxWidth(Region.USE_PREF_SIZE); // a few digits, not the column's width
        timeout.textProperty().bindBidirectional(form.menuTimeout());
        rows.put(BootMode.MENU, List.of(
                row("Wait (seconds)", timeout),
                row("Then boot", menuDefault())));

        form.mode().addListener((o, a, b) -> {
            showRows(b);
            resized.run();
        });
        showRows(form.mode().get());
        Label title = new Label("How it boots");
        title.getStyleClass().add("text-bold");
        VBox section = new VBox(8, title, grid);
        section.setId("boot-section");
        section.setPrefWidth(400);
        section.setMinWidth(Region.USE_PREF_SIZE);
        return section;
    }

    private static Node[] row(String label, Node field) {
        Label l = new Label(label);
        l.setMinWidth(Region.USE_PREF_SIZE);
        return new Node[] {l, field};
    }

    private void showRows(BootMode mode) {
        grid.getChildren().removeIf(n -> GridPane.getRowIndex(n) != null && GridPane.getRowIndex(n) > 0);
        int r = 1;
        for (Node[] row : rows.getOrDefault(mode, List.of())) {
            if (row[0] != null) grid.add(row[0], 0, r);
            grid.add(row[1], 1, r);
            r++;
        }
    }

    /** The library's assets of {@code kinds}, and {@link #NONE} first when the asset may be left out. */
    private ComboBox<String> assetChoice(String id, ObjectProperty<String> value, boolean optional, AssetKind... kinds) {
        List<String> names = new ArrayList<>();
        if (optional) names.add(NONE);
        for (Asset a : assets) if (List.of(kinds).contains(a.kind())) names.add(a.name());
        // an asset the client names that is gone from the library stays visible (the server will say so)
        if (value.get() != null && !names.contains(value.get())) names.add(value.get());
        ComboBox<String> choice = new ComboBox<>();
        choice.setId(id);
        choice.getItems().setAll(names);
        choice.setMaxWidth(Double.MAX_VALUE);
        choice.setPromptText(names.isEmpty() ? "no " + kinds[0].id() + " in the assets yet" : "choose");
        choice.setValue(value.get() == null ? optional ? NONE : null : value.get());
        choice.valueProperty().addListener((o, a, b) -> value.set(NONE.equals(b) ? null : b));
        return choice;
    }

    /** A shipped template's name from the list, or anything typed (more arguments after a name too). */
    private static ComboBox<String> cmdline(String id, StringProperty value, List<String> shipped, String hint) {
        ComboBox<String> box = new ComboBox<>();
        box.setId(id);
        box.setEditable(true);
        box.getItems().setAll(shipped);
        box.setMaxWidth(Double.MAX_VALUE);
        box.getEditor().setId(id + "-text");
        box.getEditor().textProperty().bindBidirectional(value);
        box.setPromptText(hint);
        box.setTooltip(new Tooltip("Variables: ${mac} ${ip} ${server} ${client} ${target-iqn} ${initiator-iqn}"
                + " ${volume} ${nbd-export} ${nbd-server} ${iscsi-port} ${http}"));
        return box;
    }

    /** The menu's entries, and each ISO of the library as "install-NAME". */
    private ComboBox<String> menuDefault() {
        List<String> entries = new ArrayList<>(List.of(AUTOMATIC, "volume", "local", "shell", "kernel", "ramdisk",
                "install"));
        for (Asset a : assets) if (a.kind() == AssetKind.ISO) entries.add("install-" + a.name());
        String stored = form.menuDefault().get();
        if (stored != null && !entries.contains(stored)) entries.add(stored);
        ComboBox<String> choice = new ComboBox<>();
        choice.setId("menu-default");
        choice.getItems().setAll(entries);
        choice.setValue(stored == null ? AUTOMATIC : stored);
        choice.valueProperty().addListener((o, a, b) -> form.menuDefault().set(AUTOMATIC.equals(b) ? null : b));
        return choice;
    }
}
