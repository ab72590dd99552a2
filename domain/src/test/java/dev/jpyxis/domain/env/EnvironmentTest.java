package dev.jpyxis.domain.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvironmentTest {

    @Test
    void readsEntriesSkippingThoseWithoutEquals() {
        Environment env = Environment.fromEntries(List.of("A=1", "junk", "B=x=y", "=nameless", "A=2", "C="));
        assertEquals(List.of("A=2", "B=x=y", "C="), env.entries());
        assertEquals(Optional.of(""), env.get("C"));
        assertTrue(env.contains("B"));
        assertFalse(env.contains("junk"));
    }

    @Test
    void changesReturnNewEnvironments() {
        Environment env = Environment.of("A", "1");
        Environment changed = env.with("B", "2").without("A");
        assertEquals(Map.of("A", "1"), env.asMap());
        assertEquals(Map.of("B", "2"), changed.asMap());
        assertSame(changed, changed.without("missing"));
        assertEquals(1, changed.size());
    }

    @Test
    void filterKeepsOrder() {
        Environment env = Environment.of("C", "3", "A", "1", "B", "2");
        assertEquals(List.of("C=3", "B=2"), env.filter(name -> !name.equals("A")).entries());
        assertEquals(Environment.of(Map.of("A", "1")), env.filter("A"::equals));
        assertEquals(env.hashCode(), Environment.of("C", "3", "A", "1", "B", "2").hashCode());
        assertTrue(env.toString().contains("C=3"));
        assertEquals(0, Environment.empty().size());
    }

    @Test
    void pairsMustBeComplete() {
        assertThrows(IllegalArgumentException.class, () -> Environment.of("A"));
    }
}
