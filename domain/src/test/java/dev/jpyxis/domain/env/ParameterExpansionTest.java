package dev.jpyxis.domain.env;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.DisplayName;

@DisplayName("parameter expansion, as pyxis's start script gets it from bash")
class ParameterExpansionTest {

    private static final Environment ENV = Environment.of("USER", "alice", "SLURM_JOB_ID", "12", "EMPTY", "");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        "/scratch/$USER;/scratch/alice",
        "/scratch/${USER}x;/scratch/alicex",
        "/j/$SLURM_JOB_ID.out;/j/12.out",
        "/u/$UNSET/x;/u//x",
        "/e/${EMPTY}/x;/e//x",
        "/cost/$5;/cost/$5",
        "/a$;/a$",
        "/b/${not-a-name}/${;/b/${not-a-name}/${",
        "/c/$(id)/`id`;/c/$(id)/`id`",
        "/plain;/plain"})
    void expands(String text, String expected) {
        assertEquals(expected, ParameterExpansion.expand(text, ENV));
    }
}
