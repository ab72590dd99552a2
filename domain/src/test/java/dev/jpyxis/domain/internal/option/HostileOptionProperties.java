package dev.jpyxis.domain.internal.option;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.config.InvalidConfigurationException;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.option.OptionUse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Whatever a user types, the option and configuration readers answer with a value or pyxis's refusal: never another
 * exception, and in time linear in the input (figures printed, no timed assertion).
 */
class HostileOptionProperties {

    @Property(tries = 1000)
    void anyOptionValuesParseOrAreRefusedWithPyxisLines(@ForAll("hostileUses") List<OptionUse> uses) {
        try {
            ContainerOptions options = ContainerOptionsParser.parse(uses);
            assertEquals(options, ContainerOptionsParser.parse(uses), "parsing is a function of its input");
        } catch (InvalidOptionException refused) {
            assertTrue(!refused.lines().isEmpty() && refused.lines().stream().allMatch(line -> line.startsWith(
                    "pyxis: ")), refused.lines().toString());
        }
    }

    @Property(tries = 1000)
    void anyPlugstackLineParsesOrIsRefusedWithPyxisLines(@ForAll("hostileText") String line) {
        try {
            PluginConfig.parse(line);
        } catch (InvalidConfigurationException refused) {
            assertTrue(refused.getMessage().startsWith("pyxis: "), refused.getMessage());
        }
    }

    @Property(tries = 300)
    void anyEnvironmentDefaultsApplyOrAreReportedNeverThrown(@ForAll("hostileText") String value,
            @ForAll("variables") String variable) {
        ContainerOptionsParser parser = new ContainerOptionsParser();
        parser.applyEnvironmentDefaults(name -> name.equals(variable) ? Optional.of(value) : Optional.empty())
                .forEach(diagnostic -> assertTrue(diagnostic.text().startsWith("pyxis: "), diagnostic.text()));
    }

    @Provide
    Arbitrary<String> variables() {
        return Arbitraries.of(EnvironmentDefault.values()).map(EnvironmentDefault::variableName);
    }

    @Provide
    Arbitrary<String> hostileText() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(12),
                Arbitraries.strings().withChars(",:+=/.\n\t\u0000 ").ofMaxLength(6),
                Arbitraries.of("tmpfs", "umount", "/a", "./b", "..", "runtime_path=", "container_scope=job",
                        "engine_timeout=", "image_cache_size=", "importer=", "yes", "0", "net", "exec", "9999999999"));
        return pieces.list().ofMaxSize(8).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<List<OptionUse>> hostileUses() {
        Arbitrary<ContainerOption> option = Arbitraries.of(ContainerOption.values());
        Arbitrary<OptionUse> use = Combinators.combine(option, hostileText()).as((o, v) ->
                o.takesArgument() ? OptionUse.of(o, v) : OptionUse.of(o));
        return use.list().ofMaxSize(6);
    }

    /** 4,000 distinct mounts and one 128 KiB --container-mounts value, with the time each takes to read. */
    @Test
    void manyMountsAreReadInLinearTime() {
        StringJoiner many = new StringJoiner(",");
        for (int i = 0; i < 4000; i++) {
            many.add("/src/" + i + ":/dst/" + i + ":ro");
        }
        StringJoiner big = new StringJoiner(",");
        for (int i = 0; big.length() < 128 * 1024 - 40; i++) {
            big.add("/d" + i + ":/x" + i);
        }
        List<String> figures = new ArrayList<>();
        for (String value : List.of(many.toString(), big.toString(), many + "," + many)) {
            long start = System.nanoTime();
            ContainerOptions options = ContainerOptionsParser.parse(List.of(
                    OptionUse.of(ContainerOption.IMAGE, "x"), OptionUse.of(ContainerOption.MOUNTS, value)));
            long micros = (System.nanoTime() - start) / 1000;
            figures.add(value.length() + " bytes, " + options.mounts().size() + " mounts: " + micros + " us");
        }
        System.out.println("option reading: " + String.join("; ", figures));
        assertEquals(4000, ContainerOptionsParser.parse(List.of(OptionUse.of(ContainerOption.IMAGE, "x"),
                OptionUse.of(ContainerOption.MOUNTS, many + "," + many))).mounts().size(), "repeats are dropped");
    }
}
