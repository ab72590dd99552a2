package dev.jpyxis.adapters.slurm.engine;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.ProtocolException;
import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.option.OptionUse;
import java.util.ArrayList;
import java.util.List;

/** The {@code opt.<name>=<value>} fields the shim records, one per option callback, in order. */
final class OptionFields {

    private static final String PREFIX = "opt.";

    private OptionFields() {
    }

    static List<OptionUse> uses(Message message) {
        List<OptionUse> uses = new ArrayList<>();
        for (Message.Field field : message.fields()) {
            if (field.key().startsWith(PREFIX)) {
                String name = field.key().substring(PREFIX.length());
                ContainerOption option = ContainerOption.byName(name)
                        .orElseThrow(() -> new ProtocolException("unknown option " + name));
                uses.add(OptionUse.of(option, field.value()));
            }
        }
        return uses;
    }
}
