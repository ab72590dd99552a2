package dev.jpyxis.domain.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("mount paths as fstab lines and the kernel's mount tables write them")
class FstabEntryTest {

    @Test
    @DisplayName("space, tab, newline and backslash are escaped in source and target, not in the options")
    void line() {
        assertEquals("/a\\040b /c\\011d\\012e\\134f rbind,x-create=dir",
                new FstabEntry("/a b", "/c\td\ne\\f", "rbind,x-create=dir").line());
    }

    @Test
    @DisplayName("unescaping reads back what escaping wrote; a backslash without three octal digits is itself")
    void unescape() {
        String awkward = "/dir with\tall\nfour\\kinds";
        assertEquals(awkward, FstabEntry.unescape(FstabEntry.escape(awkward)));
        assertEquals("a\\b\\9x\\04", FstabEntry.unescape("a\\134b\\9x\\04"));
        assertEquals("tab\there\\x", FstabEntry.unescape("tab\\011here\\x"));
    }
}
