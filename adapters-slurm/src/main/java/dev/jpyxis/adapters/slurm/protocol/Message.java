package dev.jpyxis.adapters.slurm.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message of the shim-engine protocol: an ordered list of {@code key=value} fields (keys may repeat). On the wire
 * each field is followed by a NUL byte and the message by an empty field. See docs/protocol.md.
 */
public final class Message {

    /** One {@code key=value} field. */
    public record Field(String key, String value) {
        public Field {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("bad field key: " + key);
            }
        }
    }

    private final List<Field> fields;

    private Message(List<Field> fields) {
        this.fields = fields;
    }

    public static Message of(List<Field> fields) {
        return new Message(List.copyOf(fields));
    }

    public static Builder builder(String type) {
        return new Builder().add("msg", type);
    }

    /** This message with one more field at its end. */
    public Message with(String key, String value) {
        List<Field> more = new java.util.ArrayList<>(fields);
        more.add(new Field(key, value));
        return new Message(List.copyOf(more));
    }

    public List<Field> fields() {
        return fields;
    }

    /** The {@code msg} field: what kind of message this is. */
    public String type() {
        return fields.isEmpty() || !fields.get(0).key().equals("msg") ? "" : fields.get(0).value();
    }

    public Optional<String> get(String key) {
        return fields.stream().filter(f -> f.key().equals(key)).map(Field::value).findFirst();
    }

    /** The value of a field that must be there. */
    public String require(String key) {
        return get(key).orElseThrow(() -> new ProtocolException("message '" + type() + "' lacks " + key));
    }

    public long requireLong(String key) {
        String value = require(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ProtocolException("message '" + type() + "': " + key + " is not a number: " + value);
        }
    }

    public List<String> all(String key) {
        List<String> values = new ArrayList<>();
        for (Field field : fields) {
            if (field.key().equals(key)) {
                values.add(field.value());
            }
        }
        return values;
    }

    @Override
    public String toString() {
        return fields.toString();
    }

    /** Builds a message field by field. */
    public static final class Builder {
        private final List<Field> fields = new ArrayList<>();

        public Builder add(String key, String value) {
            fields.add(new Field(key, value));
            return this;
        }

        public Builder add(String key, long value) {
            return add(key, Long.toString(value));
        }

        public Builder addAll(String key, List<String> values) {
            values.forEach(value -> add(key, value));
            return this;
        }

        public Message build() {
            return Message.of(fields);
        }
    }
}
