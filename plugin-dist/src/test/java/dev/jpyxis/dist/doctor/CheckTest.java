package dev.jpyxis.dist.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("a finding travels back from the unprivileged user as one line")
class CheckTest {

    @Test
    @DisplayName("tabs, newlines and backslashes survive the trip")
    void roundTrip() {
        Check check = Check.fail("container", "a\tb\nc \\ d", "fix\\it");
        assertEquals(Optional.of(check), Check.fromLine(check.toLine()));
        assertEquals(1, check.toLine().lines().count());
    }

    @Test
    @DisplayName("what is not such a line is ignored")
    void otherLines() {
        assertEquals(Optional.empty(), Check.fromLine("Exception in thread \"main\""));
        assertEquals(Optional.empty(), Check.fromLine("a\tMAYBE\tb\tc"));
    }
}
