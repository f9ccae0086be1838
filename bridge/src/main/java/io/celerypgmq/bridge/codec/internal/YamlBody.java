package io.celerypgmq.bridge.codec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.celerypgmq.bridge.codec.UndecodableMessageException.Reason;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A yaml-serialized body, read as PyYAML's {@code safe_load} reads it: SnakeYAML's SafeConstructor (YAML 1.1, like
 * PyYAML), no custom tags, alias expansion capped. Timestamps are rebuilt the PyYAML way (date-only → date, fraction
 * cut to microseconds, offset kept) and rendered as kombu's JSON would write the resulting Python value;
 * {@code !!binary} becomes base64 text.
 */
public final class YamlBody {
    private static final Pattern PYYAML_TIMESTAMP =
            Pattern.compile("^(?<year>[0-9]{4})-(?<month>[0-9]{1,2})-(?<day>[0-9]{1,2})"
                    + "(?:(?:[Tt]|[ \\t]+)(?<hour>[0-9]{1,2}):(?<minute>[0-9]{2}):(?<second>[0-9]{2})"
                    + "(?:\\.(?<fraction>[0-9]*))?"
                    + "(?:[ \\t]*(?<tz>Z|(?<sign>[-+])(?<tzhour>[0-9]{1,2})(?::(?<tzminute>[0-9]{2}))?))?)?$");

    private YamlBody() {}

    public static JsonNode decode(byte[] bytes, long nodeBudget) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(NaturalJson.MAX_DEPTH);
        options.setCodePointLimit(Math.max(bytes.length, 1));
        Object value;
        try {
            var reader = new InputStreamReader(
                    new ByteArrayInputStream(bytes),
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT));
            value = new Yaml(new PythonSafeConstructor(options)).load(reader);
        } catch (RuntimeException e) {
            throw new BodyException(Reason.BAD_BODY, "yaml body does not load: " + firstLine(e.getMessage()), e);
        }
        return NaturalJson.convert(value, nodeBudget);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static final class PythonSafeConstructor extends SafeConstructor {
        PythonSafeConstructor(LoaderOptions options) {
            super(options);
            this.yamlConstructors.put(Tag.TIMESTAMP, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return timestamp(((ScalarNode) node).getValue());
                }
            });
        }
    }

    static PickleObjects.PyTemporal timestamp(String text) {
        Matcher m = PYYAML_TIMESTAMP.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a timestamp: " + text);
        }
        int year = Integer.parseInt(m.group("year"));
        int month = Integer.parseInt(m.group("month"));
        int day = Integer.parseInt(m.group("day"));
        if (m.group("hour") == null) {
            java.time.LocalDate.of(year, month, day);
            return new PickleObjects.PyTemporal(PythonValues.kombuDate(year, month, day));
        }
        String fraction = m.group("fraction") == null ? "" : m.group("fraction");
        fraction =
                (fraction.length() > 6 ? fraction.substring(0, 6) : fraction + "000000".substring(fraction.length()));
        LocalDateTime local = LocalDateTime.of(
                year,
                month,
                day,
                Integer.parseInt(m.group("hour")),
                Integer.parseInt(m.group("minute")),
                Integer.parseInt(m.group("second")),
                Integer.parseInt(fraction) * 1000);
        ZoneOffset offset = null;
        if (m.group("sign") != null) {
            int seconds = Integer.parseInt(m.group("tzhour")) * 3600
                    + (m.group("tzminute") == null ? 0 : Integer.parseInt(m.group("tzminute")) * 60);
            offset = ZoneOffset.ofTotalSeconds(m.group("sign").equals("-") ? -seconds : seconds);
        } else if (m.group("tz") != null) {
            offset = ZoneOffset.UTC;
        }
        return new PickleObjects.PyTemporal(PythonValues.kombuDatetime(local, offset));
    }
}
