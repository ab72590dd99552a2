package dev.jpyxis.domain.internal.option;

/** Pyxis's only test of whether a string is a path: its first character is {@code .} or {@code /}. */
final class PathText {

    private PathText() {
    }

    static boolean isPathLike(String text) {
        return !text.isEmpty() && (text.charAt(0) == '.' || text.charAt(0) == '/');
    }
}
