package org.netroot.app.ui.clients;

import java.util.List;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.app.AppContext;
import org.netroot.app.ui.common.Icons;
import org.netroot.app.ui.common.View;

/**
 * The Clients view: a card per client (live state, firmware, address, volume and its I/O, last boot)
 * and per discovered machine (Adopt, Forget), in a grid that wraps with the window and makes nodes
 * only for the cards on screen ({@link CardGrid}); Add client; an empty state that says how clients
 * arrive.
 */
public final class ClientsView implements View {
    static final String ADOPT_SIZE = "32 GiB";

    private final ClientsViewModel vm;
    private final BorderPane root = new BorderPane();
    private final CardGrid grid;
    private final Button add = new Button("_Add client", Icons.of(Feather.PLUS));

    public ClientsView(AppContext context) {
        this.vm = new ClientsViewModel(context.model());
        this.grid = new CardGrid(new CardActions(this::openEdit, this::confirmRemove, this::openAdopt,
                card -> vm.forget(card.mac())));
        root.setId("clients-view");
        root.getStylesheets().add(ClientsView.class.getResource("/org/netroot/app/clients.css").toExternalForm());
        add.setId("add-client");
        add.getStyleClass().add("accent");
        add.setOnAction(e -> openAdd());
        Label title = new Label("Clients");
        title.getStyleClass().add("title-3");
        Label error = new Label();
        error.setId("clients-error");
        error.getStyleClass().add("danger");
        error.textProperty().bind(vm.error());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(12, title, error, spacer, add);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(12, 16, 4, 16));
        root.setTop(bar);

        Node cards = grid.node();
        Node empty = emptyState();
        empty.visibleProperty().bind(vm.empty());
        cards.visibleProperty().bind(vm.empty().not());
        root.setCenter(new StackPane(cards, empty));

        vm.clients().addListener((ListChangeListener<ClientCard>) c -> showCards());
        vm.discovered().addListener((ListChangeListener<DiscoveredCard>) c -> showCards());
        showCards();
    }

    private Node emptyState() {
        Label icon = new Label(null, Icons.of(Feather.MONITOR, 48));
        Label words = new Label("No clients yet: PXE-boot a machine on the served network and it appears here, or"
                + " Add client.");
        words.setWrapText(true);
        words.getStyleClass().add("text-muted");
        Button addToo = new Button("Add client", Icons.of(Feather.PLUS));
        addToo.setId("add-client-empty");
        addToo.setOnAction(e -> openAdd());
        VBox box = new VBox(12, icon, words, addToo);
        box.setId("clients-empty");
        box.setAlignment(Pos.CENTER);
        box.setMaxWidth(420);
        return box;
    }

    /** Discovered machines first (they want attention), then clients by name. */
    private void showCards() {
        grid.show(List.copyOf(vm.discovered()), List.copyOf(vm.clients()));
    }

    private void openAdd() {
        ClientForm form = new ClientForm(ClientForm.Mode.ADD, vm.clientNames(null), vm.clientMacs(null),
                vm.volumeNames(), false);
        List<String> free = vm.freeVolumes(null);
        ClientDialog.open(window(), "Add client", "Add", form, free, vm.assets(), true,
                (f, done, failed) -> vm.add(f, c -> done.run(), failed));
    }

    private void openAdopt(DiscoveredCard card) {
        ClientForm form = new ClientForm(ClientForm.Mode.ADD, vm.clientNames(null), vm.clientMacs(null),
                vm.volumeNames(), false);
        form.name().set(card.suggestedName());
        form.mac().set(card.mac());
        form.size().set(ADOPT_SIZE);
        ClientDialog.open(window(), "Adopt " + card.mac(), "Adopt", form, vm.freeVolumes(null), vm.assets(), false,
                (f, done, failed) -> vm.add(f, c -> done.run(), failed));
    }

    private void openEdit(ClientCard card) {
        var c = card.client();
        ClientForm form = ClientForm.editing(c, vm.clientNames(c.name()), vm.clientMacs(c.name()), vm.volumeNames());
        ClientDialog.open(window(), "Edit " + c.name(), "Save", form, vm.freeVolumes(c.volumeName()), vm.assets(),
                true,
                (f, done, failed) -> vm.update(c, f, saved -> done.run(), failed));
    }

    private void confirmRemove(ClientCard card) {
        String name = card.name();
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION);
        ask.initOwner(window());
        ask.setTitle("Remove client");
        ask.setHeaderText("Remove " + name + "?");
        ask.setContentText(card.client().volumeName() == null ? "The client goes; it has no volume."
                : "The client goes; its volume " + card.client().volumeName()
                + " stays, with its data (remove it in Volumes if you no longer need it).");
        ask.getDialogPane().setId("remove-dialog");
        ((Button) ask.getDialogPane().lookupButton(ButtonType.OK)).setText("Remove");
        ask.getDialogPane().lookupButton(ButtonType.OK).setId("confirm-remove");
        ask.resultProperty().addListener((o, before, answer) -> {
            if (answer == ButtonType.OK) vm.remove(name, words -> { });
        });
        ask.show();
    }

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }

    public ClientsViewModel viewModel() {
        return vm;
    }

    @Override
    public String title() {
        return "Clients";
    }

    @Override
    public Ikon icon() {
        return Feather.USERS;
    }

    @Override
    public Node node() {
        return root;
    }

    @Override
    public void shown() {
        add.requestFocus();
    }
}
