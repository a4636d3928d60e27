package org.netroot.app.ui.wizard;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.netroot.server.api.IpxeCheck;
import org.netroot.server.api.NetworkInterfaceInfo;
import org.netroot.server.api.ServerSettings;

/** The four pages of the wizard, each bound to its part of the {@link WizardViewModel}. */
final class WizardPages {
    private WizardPages() {
    }

    static Node page(WizardStep step, WizardViewModel vm) {
        return switch (step) {
            case INTERFACE -> interfacePage(vm);
            case DHCP -> dhcpPage(vm);
            case IPXE -> ipxePage(vm);
            case FIRST_CLIENT -> firstClientPage(vm);
        };
    }

    static Node interfacePage(WizardViewModel vm) {
        ListView<NetworkInterfaceInfo> list = new ListView<>(vm.interfaces());
        list.setId("wizard-interfaces");
        list.setPrefHeight(220);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(NetworkInterfaceInfo item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.describe() + (item.mac() == null ? "" : "   " + item.mac()));
            }
        });
        list.getSelectionModel().select(vm.selected().get());
        vm.selected().addListener((o, was, now) -> {
            if (now != list.getSelectionModel().getSelectedItem()) list.getSelectionModel().select(now);
        });
        list.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null) vm.selected().set(now);
        });
        return page("Which network are your PCs connected to?",
                "Netroot will serve network boot on it. Next sends one DHCP request there to see whether a router"
                        + " already hands out addresses.", list);
    }

    static Node dhcpPage(WizardViewModel vm) {
        DhcpChoice c = vm.dhcp();
        Label finding = wrapped("");
        finding.setId("wizard-recommendation");
        finding.textProperty().bind(c.finding());
        finding.getStyleClass().add("title-4");
        ToggleGroup modes = new ToggleGroup();
        RadioButton proxy = mode(modes, "Proxy: beside the router's DHCP, adds only the boot information", ServerSettings.PROXY, c);
        RadioButton full = mode(modes, "Full: Netroot hands out the addresses itself", ServerSettings.FULL, c);
        RadioButton off = mode(modes, "Off: another DHCP server already points PCs at this machine", ServerSettings.OFF, c);
        TextField start = field("wizard-range-start", c.rangeStart());
        TextField end = field("wizard-range-end", c.rangeEnd());
        HBox range = new HBox(8, new Label("Addresses from"), start, new Label("to"), end);
        range.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        range.setPadding(new Insets(0, 0, 0, 28));
        range.disableProperty().bind(Bindings.notEqual(ServerSettings.FULL, c.mode()));
        return page("How do your PCs get their addresses?", null, finding, proxy, full, range, off);
    }

    private static RadioButton mode(ToggleGroup group, String text, String mode, DhcpChoice c) {
        RadioButton b = new RadioButton(text);
        b.setId("wizard-mode-" + mode.toLowerCase());
        b.setToggleGroup(group);
        b.setSelected(mode.equals(c.mode().get()));
        c.mode().addListener((o, was, now) -> b.setSelected(mode.equals(now)));
        b.selectedProperty().addListener((o, was, now) -> {
            if (now) c.mode().set(mode);
        });
        return b;
    }

    static Node ipxePage(WizardViewModel vm) {
        Label status = wrapped("");
        status.setId("wizard-ipxe-status");
        Label fix = wrapped("");
        fix.setId("wizard-ipxe-fix");
        TextField command = new TextField("sudo apt install ipxe");
        command.setEditable(false);
        command.setId("wizard-ipxe-command");
        Button recheck = new Button("Check again");
        recheck.setId("wizard-ipxe-recheck");
        recheck.setOnAction(e -> vm.checkIpxe());
        Runnable show = () -> {
            IpxeCheck c = vm.ipxe().get();
            if (c == null) return;
            status.setText(c.ready() ? "The iPXE boot files are in " + c.folder() + ": BIOS and UEFI PCs can boot."
                    : String.join("\n", c.problems()));
            status.getStyleClass().setAll("label", c.ready() ? "success" : "warning");
            fix.setText(c.ready() ? "" : "Where to get them: " + c.fix() + ". You can go on and install them later.");
            command.setVisible(!c.ready());
            recheck.setVisible(!c.ready());
        };
        vm.ipxe().addListener((o, was, now) -> show.run());
        show.run();
        TextField folder = field("wizard-ipxe-folder", vm.ipxeFolder());
        HBox.setHgrow(folder, javafx.scene.layout.Priority.ALWAYS);
        Label folderNote = wrapped("Another folder holding undionly.kpxe and snponly.efi? Type it here: it is saved and"
                + " used from the server's next start.");
        folderNote.getStyleClass().add("text-muted");
        HBox folderRow = new HBox(8, new Label("iPXE folder"), folder);
        folderRow.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return page("Boot files", "PCs first load iPXE over the network; Netroot hands them these files.",
                status, fix, new HBox(8, command, recheck), folderRow, folderNote);
    }

    static Node firstClientPage(WizardViewModel vm) {
        FirstClientForm f = vm.firstClient();
        ToggleGroup choice = new ToggleGroup();
        RadioButton wait = new RadioButton("Wait for the first PC: switch it on with network boot, it appears in"
                + " Clients and one click adopts it");
        wait.setId("wizard-wait-discovery");
        RadioButton now = new RadioButton("Add a PC now (you know its MAC address)");
        now.setId("wizard-add-client");
        wait.setToggleGroup(choice);
        now.setToggleGroup(choice);
        wait.setWrapText(true);
        (f.addNow().get() ? now : wait).setSelected(true);
        now.selectedProperty().addListener((o, was, sel) -> f.addNow().set(sel));
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.setPadding(new Insets(0, 0, 0, 28));
        form.addRow(0, new Label("Name"), field("wizard-client-name", f.name()));
        form.addRow(1, new Label("MAC address"), field("wizard-client-mac", f.mac()));
        form.addRow(2, new Label("Disk size (GiB)"), field("wizard-client-size", f.sizeGib()));
        form.disableProperty().bind(f.addNow().not());
        return page("Your first PC", "It boots from its own new, blank disk (a volume on this server).", wait, now, form);
    }

    private static TextField field(String id, javafx.beans.property.StringProperty value) {
        TextField t = new TextField();
        t.setId(id);
        t.textProperty().bindBidirectional(value);
        return t;
    }

    private static Label wrapped(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        return l;
    }

    private static Node page(String title, String intro, Node... content) {
        Label heading = new Label(title);
        heading.getStyleClass().add("title-3");
        VBox box = new VBox(10, heading);
        if (intro != null) {
            Label i = wrapped(intro);
            i.getStyleClass().add("text-muted");
            box.getChildren().add(i);
        }
        box.getChildren().addAll(content);
        return box;
    }
}
