package io.celerypgmq.bridge.codec.internal;

import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The values a pickle body can build here. A global reference resolves only to a {@link Callable} defined in this
 * file: known, data-only Python types map to Java data, and everything else to a {@link PyObject} record of what the
 * pickle asked for. No Java or Python code named by the pickle is ever loaded or run.
 */
final class PickleObjects {
    private PickleObjects() {}

    /** What a global reference resolves to; calling it only builds data. */
    interface Callable {
        String name();

        Object call(List<Object> args);
    }

    /** An object of a class the codec does not know, kept as data: class name, constructor args, state, items. */
    static final class PyObject {
        final String className;
        final List<Object> args;
        Object state;
        final Map<Object, Object> items = new LinkedHashMap<>();
        final List<Object> listItems = new ArrayList<>();

        PyObject(String className, List<Object> args) {
            this.className = className;
            this.args = args;
        }
    }

    /** A datetime, date or time, rendered the way kombu's JSON encoder writes it. */
    record PyTemporal(String kombuText) {}

    /** A tzinfo: a fixed offset, or a region whose offset depends on the date. */
    record PyTz(ZoneOffset fixed, ZoneId region) {
        ZoneOffset offsetAt(LocalDateTime local, boolean fold) {
            if (fixed != null) {
                return fixed;
            }
            ZonedDateTime zoned = ZonedDateTime.ofLocal(local, region, null);
            return (fold ? zoned.withLaterOffsetAtOverlap() : zoned.withEarlierOffsetAtOverlap()).getOffset();
        }
    }

    /** A UUID under construction: {@code NEWOBJ} then {@code BUILD {'int': n}}. */
    static final class PyUuid {
        String text;
    }

    static final Object SAFE_UUID_MARKER = new Object();

    static Callable known(String name) {
        return switch (name) {
            case "datetime.datetime" -> callable(name, PickleObjects::datetime);
            case "datetime.date" -> callable(name, PickleObjects::date);
            case "datetime.time" -> callable(name, PickleObjects::time);
            case "datetime.timedelta" -> callable(name, args -> new PyObject(name, args));
            case "datetime.timezone" -> callable(name, args -> new PyTz(offset(args.get(0)), null));
            case "zoneinfo.ZoneInfo",
                    "zoneinfo.ZoneInfo._unpickle",
                    "pytz.timezone",
                    "dateutil.zoneinfo.gettz" -> callable(
                    name, args -> new PyTz(null, ZoneId.of((String) args.get(0))));
            case "pytz._UTC", "dateutil.tz.tzutc", "dateutil.tz.tz.tzutc" -> callable(
                    name, args -> new PyTz(ZoneOffset.UTC, null));
            case "pytz._p" -> callable(name, PickleObjects::pytz);
            case "decimal.Decimal" -> callable(name, args -> args.isEmpty() ? "0" : String.valueOf(args.get(0)));
            case "uuid.UUID" -> callable(name, args -> uuid(args));
            case "uuid.SafeUUID" -> callable(name, args -> SAFE_UUID_MARKER);
            case "builtins.set", "__builtin__.set", "builtins.frozenset", "__builtin__.frozenset" -> callable(
                    name, args -> args.isEmpty() ? new LinkedHashSet<>() : new LinkedHashSet<>(iterable(args.get(0))));
            case "builtins.bytes",
                    "__builtin__.bytes",
                    "builtins.bytearray",
                    "__builtin__.bytearray",
                    "_codecs.encode" -> callable(name, PickleObjects::bytes);
            case "collections.OrderedDict" -> callable(name, PickleObjects::orderedDict);
            case "copy_reg._reconstructor", "copyreg._reconstructor" -> callable(name, PickleObjects::reconstruct);
                // Only ever the base-class argument of _reconstructor in protocols 0 and 1.
            case "__builtin__.object", "builtins.object" -> callable(name, args -> new PyObject(name, args));
            default -> null;
        };
    }

    static Callable unknown(String name) {
        return callable(name, args -> new PyObject(name, args));
    }

    private static Callable callable(String name, java.util.function.Function<List<Object>, Object> body) {
        return new Callable() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Object call(List<Object> args) {
                return body.apply(args);
            }
        };
    }

    private static Object datetime(List<Object> args) {
        byte[] s = state(args.get(0), 10);
        boolean fold = (s[2] & 0x80) != 0;
        LocalDateTime local = LocalDateTime.of(
                ((s[0] & 0xff) << 8) | (s[1] & 0xff), s[2] & 0x7f, s[3], s[4], s[5], s[6], micros(s, 7) * 1000);
        ZoneOffset offset = args.size() > 1 && args.get(1) instanceof PyTz tz ? tz.offsetAt(local, fold) : null;
        if (args.size() > 1 && args.get(1) != null && !(args.get(1) instanceof PyTz)) {
            throw new IllegalArgumentException("datetime with an unsupported tzinfo");
        }
        return new PyTemporal(PythonValues.kombuDatetime(local, offset));
    }

    private static Object date(List<Object> args) {
        byte[] s = state(args.get(0), 4);
        LocalDate d = LocalDate.of(((s[0] & 0xff) << 8) | (s[1] & 0xff), s[2], s[3]);
        return new PyTemporal(PythonValues.kombuDate(d.getYear(), d.getMonthValue(), d.getDayOfMonth()));
    }

    private static Object time(List<Object> args) {
        byte[] s = state(args.get(0), 6);
        LocalTime t = LocalTime.of(s[0] & 0x7f, s[1], s[2], micros(s, 3) * 1000);
        ZoneOffset offset = null;
        if (args.size() > 1 && args.get(1) instanceof PyTz tz) {
            if (tz.fixed() == null) {
                throw new IllegalArgumentException("time with a region tzinfo has no offset");
            }
            offset = tz.fixed();
        }
        return new PyTemporal(PythonValues.isoformat(t, offset));
    }

    private static int micros(byte[] s, int at) {
        return ((s[at] & 0xff) << 16) | ((s[at + 1] & 0xff) << 8) | (s[at + 2] & 0xff);
    }

    private static byte[] state(Object value, int length) {
        byte[] bytes = value instanceof byte[] b
                ? b
                : value instanceof String str ? str.getBytes(StandardCharsets.ISO_8859_1) : null;
        if (bytes == null || bytes.length != length) {
            throw new IllegalArgumentException("unsupported datetime state " + value);
        }
        return bytes;
    }

    private static ZoneOffset offset(Object timedelta) {
        if (!(timedelta instanceof PyObject td) || !td.className.equals("datetime.timedelta")) {
            throw new IllegalArgumentException("timezone offset is not a timedelta");
        }
        long days = number(td.args, 0);
        long seconds = number(td.args, 1);
        return ZoneOffset.ofTotalSeconds(Math.toIntExact(days * 86_400 + seconds));
    }

    private static long number(List<Object> args, int index) {
        return index < args.size() && args.get(index) instanceof Number n ? n.longValue() : 0;
    }

    private static Object pytz(List<Object> args) {
        if (args.size() > 1 && args.get(1) instanceof Number utcoffset) {
            return new PyTz(ZoneOffset.ofTotalSeconds(utcoffset.intValue()), null);
        }
        return new PyTz(null, ZoneId.of((String) args.get(0)));
    }

    private static Object uuid(List<Object> args) {
        PyUuid uuid = new PyUuid();
        if (!args.isEmpty() && args.get(0) instanceof String hex) {
            uuid.text = PythonValues.uuidFromHex(hex);
        }
        return uuid;
    }

    static void setUuidState(PyUuid uuid, Object state) {
        if (state instanceof Map<?, ?> map && map.get("int") instanceof Number n) {
            uuid.text = PythonValues.uuidFromInt(n instanceof BigInteger big ? big : BigInteger.valueOf(n.longValue()));
            return;
        }
        throw new IllegalArgumentException("UUID state without an int");
    }

    private static Object bytes(List<Object> args) {
        if (args.isEmpty()) {
            return new byte[0];
        }
        Object first = args.get(0);
        if (first instanceof byte[] b) {
            return b.clone();
        }
        if (first instanceof String s) {
            String encoding = args.size() > 1 ? String.valueOf(args.get(1)) : "latin1";
            Charset charset =
                    switch (encoding.toLowerCase(java.util.Locale.ROOT).replace('_', '-')) {
                        case "latin1", "latin-1", "iso-8859-1", "iso8859-1" -> StandardCharsets.ISO_8859_1;
                        case "utf-8", "utf8" -> StandardCharsets.UTF_8;
                        case "ascii" -> StandardCharsets.US_ASCII;
                        default -> throw new IllegalArgumentException("unsupported encoding " + encoding);
                    };
            return s.getBytes(charset);
        }
        Collection<Object> values = iterable(first);
        byte[] out = new byte[values.size()];
        int i = 0;
        for (Object v : values) {
            out[i++] = (byte) ((Number) v).intValue();
        }
        return out;
    }

    private static Object orderedDict(List<Object> args) {
        Map<Object, Object> map = new LinkedHashMap<>();
        if (!args.isEmpty()) {
            for (Object pair : iterable(args.get(0))) {
                List<Object> kv = new ArrayList<>(iterable(pair));
                map.put(kv.get(0), kv.get(1));
            }
        }
        return map;
    }

    private static Object reconstruct(List<Object> args) {
        Object cls = args.get(0);
        String name = cls instanceof Callable c ? c.name() : String.valueOf(cls);
        if (cls instanceof Callable c && name.equals("uuid.UUID")) {
            return c.call(List.of());
        }
        Object state = args.size() > 2 ? args.get(2) : null;
        return new PyObject(name, state == null ? List.of() : List.of(state));
    }

    @SuppressWarnings("unchecked")
    static Collection<Object> iterable(Object value) {
        if (value instanceof Collection<?> c) {
            return (Collection<Object>) c;
        }
        if (value instanceof Object[] tuple) {
            return java.util.Arrays.asList(tuple);
        }
        throw new IllegalArgumentException("expected a sequence, got " + (value == null ? "None" : value.getClass()));
    }
}
