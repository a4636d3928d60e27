package org.netroot.app.ui.common;

import javafx.scene.control.TableColumn;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;

/** Table columns as a reader needs them. */
public final class Columns {
    /** Room beside a header's text: the header cell's padding and the sort arrow. */
    private static final double HEADER_ROOM = 26;
    /** Room beside a cell's text: its padding, and a pixel or two of rounding. */
    private static final double CELL_ROOM = 20;

    private Columns() {
    }

    /**
     * The column never gets narrower than its header's text: a constrained table otherwise squeezes the
     * short columns ("Format", "I/O") to an ellipsis to widen the long ones, and the reader cannot tell
     * what a column holds.
     */
    public static <S, T> TableColumn<S, T> headerFits(TableColumn<S, T> column) {
        column.setMinWidth(Math.ceil(headerTextWidth(column.getText()) + HEADER_ROOM));
        return column;
    }

    /** The column is never narrower than {@code widest}, a cell text it must show whole (a date, say). */
    public static <S, T> TableColumn<S, T> fits(TableColumn<S, T> column, String widest) {
        double width = textWidth(widest, FontWeight.NORMAL);
        column.setMinWidth(Math.max(column.getMinWidth(), Math.ceil(width + CELL_ROOM)));
        column.setPrefWidth(Math.max(column.getPrefWidth(), column.getMinWidth()));
        return column;
    }

    /** The width of {@code title} in the header's font (bold). */
    static double headerTextWidth(String title) {
        return textWidth(title, FontWeight.BOLD);
    }

    /** The width of {@code s} in the default font at AtlantaFX's size, of {@code weight}. */
    private static double textWidth(String s, FontWeight weight) {
        Font base = Font.getDefault();
        Text text = new Text(s);
        text.setFont(Font.font(base.getFamily(), weight, Math.max(base.getSize(), 14)));
        return text.getLayoutBounds().getWidth();
    }
}
