package org.netroot.app.ui.clients;

import javafx.scene.layout.VBox;

/**
 * A card's vertical box that remembers its computed heights until something inside it changes.
 * The Clients grid's virtual flow asks each shown row, and so each card, for its height at its width
 * several times per layout pass, and JavaFX caches a node's size only for the "any width" question:
 * without this, every refresh (many a second while clients boot) measured the text of every label of
 * every shown card again. Any change inside the card calls {@link #requestLayout()}, which forgets them.
 * Asked for its height at no particular width, as a list cell asks its graphic, it answers for its own
 * width: a wrapped error or volume line would otherwise count as one line, and the card be cut.
 */
final class CardBox extends VBox {
    private double prefFor = Double.NaN;
    private double pref;
    private double minFor = Double.NaN;
    private double min;

    CardBox(double spacing) {
        super(spacing);
    }

    @Override
    protected double computePrefHeight(double width) {
        if (width < 0) width = prefWidth(-1); // a list cell asks "at any width": it is the card's own width
        if (width != prefFor) {
            pref = super.computePrefHeight(width);
            prefFor = width;
        }
        return pref;
    }

    @Override
    protected double computeMinHeight(double width) {
        if (width < 0) width = prefWidth(-1);
        if (width != minFor) {
            min = super.computeMinHeight(width);
            minFor = width;
        }
        return min;
    }

    @Override
    public void requestLayout() {
        prefFor = Double.NaN;
        minFor = Double.NaN;
        super.requestLayout();
    }
}
