package org.netroot.app.ui.assets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The words the Assets view shows and suggests, without a screen. */
class AssetsViewModelTest {
    @Test
    void aFilesNameBecomesTheAssetsAsTheLibraryTakesIt() {
        assertEquals("vmlinuz-6.1", AssetsViewModel.nameFor("/srv/boot/vmlinuz-6.1"));
        assertEquals("", AssetsViewModel.nameFor("/"), "half typed");
        assertEquals("", AssetsViewModel.nameFor(" "));
        assertEquals("my_installer.iso", AssetsViewModel.nameFor("/tmp/my installer.iso"), "a space is no URL segment");
        assertEquals("hidden", AssetsViewModel.nameFor("/tmp/.hidden"), "nor a leading dot");
    }

    @Test
    void aChecksumShowsItsFirstTwelveDigits() {
        assertEquals("9f86d081884c", AssetsViewModel.shortSha("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
        assertEquals("", AssetsViewModel.shortSha(null));
    }
}
