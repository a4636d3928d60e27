package org.netroot.app.ui.clients;

import javafx.scene.layout.VBox;

/**
 * A card's vertical box that remembers its computed heights until something inside it changes.
 * The Clients grid (a FlowPane) asks every card for its height, at its width, on every layout pass,
 * and JavaFX caches a node's size only for the "any width" question: with 200 cards, one card's new
 * state cost a text measurement of every label of every card (seconds of the FX thread at 50 boot
 * events a second). Any change inside the card calls {@link #requestLayout()}, which forgets them.
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
        if (width != prefFor) {
            pref = super.computePrefHeight(width);
            prefFor = width;
        }
        return pref;
    }

    @Override
    protected double computeMinHeight(double width) {
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
