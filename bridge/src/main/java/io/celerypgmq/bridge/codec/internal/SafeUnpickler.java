package io.celerypgmq.bridge.codec.internal;

import io.celerypgmq.bridge.codec.PicklePolicy;
import io.celerypgmq.bridge.codec.UndecodableMessageException.Reason;
import io.celerypgmq.bridge.codec.internal.PickleObjects.Callable;
import io.celerypgmq.bridge.codec.internal.PickleObjects.PyObject;
import io.celerypgmq.bridge.codec.internal.PickleObjects.PyUuid;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Pyrolite's pickle machine with every opcode that could reach code taken over: globals ({@code GLOBAL},
 * {@code STACK_GLOBAL}, {@code INST}) resolve only through {@link PickleObjects}, never through Pyrolite's process-wide
 * constructor registry; calls ({@code REDUCE}, {@code NEWOBJ}, {@code NEWOBJ_EX}, {@code OBJ}) only invoke those data
 * builders; {@code BUILD} only fills in our own records instead of invoking {@code __setstate__} by reflection. Dicts
 * and sets keep insertion order (Pyrolite's use HashMap). Length-prefixed opcodes are checked against the bytes left
 * before anything is allocated, so a forged length cannot exhaust memory.
 */
final class SafeUnpickler extends Unpickler {
    private final PicklePolicy policy;
    private final int length;

    SafeUnpickler(PicklePolicy policy, int length) {
        this.policy = policy;
        this.length = length;
    }

    Object read(byte[] data) throws IOException {
        return load(new ByteArrayInputStream(data));
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case Opcodes.GLOBAL -> stack.add(resolve(PickleUtils.readline(input), PickleUtils.readline(input)));
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                if (!(name instanceof String n) || !(module instanceof String m)) {
                    throw new PickleException("STACK_GLOBAL needs two strings");
                }
                stack.add(resolve(m, n));
            }
            case Opcodes.INST -> {
                Callable callable = resolve(PickleUtils.readline(input), PickleUtils.readline(input));
                stack.add(callable.call(stack.pop_all_since_marker()));
            }
            case Opcodes.REDUCE, Opcodes.NEWOBJ -> {
                Object args = stack.pop();
                stack.add(call(stack.pop(), args));
            }
            case Opcodes.NEWOBJ_EX -> {
                Object kwargs = stack.pop();
                Object args = stack.pop();
                Object result = call(stack.pop(), args);
                if (kwargs instanceof Map<?, ?> map && !map.isEmpty() && result instanceof PyObject obj) {
                    obj.state = kwargs;
                }
                stack.add(result);
            }
            case Opcodes.OBJ -> {
                List<Object> items = stack.pop_all_since_marker();
                if (items.isEmpty()) {
                    throw new PickleException("OBJ without a class");
                }
                stack.add(call(items.get(0), items.subList(1, items.size()).toArray()));
            }
            case Opcodes.BUILD -> build(stack.pop(), stack.peek());
            case Opcodes.FLOAT -> stack.add(pythonFloat(PickleUtils.readline(input)));
            case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
            case Opcodes.DICT -> stack.add(putAll(new LinkedHashMap<>(), stack.pop_all_since_marker()));
            case Opcodes.SETITEM -> {
                Object value = stack.pop();
                Object k = stack.pop();
                putAll(stack.peek(), Arrays.asList(k, value));
            }
            case Opcodes.SETITEMS -> {
                List<Object> items = stack.pop_all_since_marker();
                putAll(stack.peek(), items);
            }
            case Opcodes.APPEND -> {
                Object value = stack.pop();
                append(stack.peek(), List.of(nullSafe(value)));
            }
            case Opcodes.APPENDS -> {
                List<Object> values = stack.pop_all_since_marker();
                append(stack.peek(), values);
            }
            case Opcodes.EMPTY_SET -> stack.add(new LinkedHashSet<>());
            case Opcodes.FROZENSET -> stack.add(new LinkedHashSet<>(stack.pop_all_since_marker()));
            case Opcodes.ADDITEMS -> {
                List<Object> items = stack.pop_all_since_marker();
                if (!(stack.peek() instanceof Set<?>)) {
                    throw new PickleException("ADDITEMS target is not a set");
                }
                @SuppressWarnings("unchecked")
                Set<Object> set = (Set<Object>) stack.peek();
                set.addAll(items);
            }
            case Opcodes.BINSTRING, Opcodes.BINBYTES, Opcodes.BINUNICODE, Opcodes.LONG4 -> {
                checkLength(4);
                return super.dispatch(key);
            }
            case Opcodes.BINUNICODE8, Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> {
                checkLength(8);
                return super.dispatch(key);
            }
            default -> {
                return super.dispatch(key);
            }
        }
        return NO_RETURN_VALUE;
    }

    // List.of refuses null; a pickled None appended to a list is common.
    private static final Object NONE = new Object();

    private static Object nullSafe(Object value) {
        return value == null ? NONE : value;
    }

    /** Protocol 0 writes floats with repr(), so {@code inf}, {@code -inf} and {@code nan} appear as text. */
    private static double pythonFloat(String text) {
        return switch (text.strip()) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan", "-nan" -> Double.NaN;
            default -> Double.parseDouble(text.strip());
        };
    }

    private void checkLength(int width) throws IOException {
        input.mark(width);
        byte[] raw = input.readNBytes(width);
        input.reset();
        if (raw.length < width) {
            throw new PickleException("pickle data was truncated");
        }
        long declared = 0;
        for (int i = width - 1; i >= 0; i--) {
            declared = (declared << 8) | (raw[i] & 0xff);
        }
        if (width == 4) {
            declared = (int) declared;
        }
        if (declared < 0 || declared > input.available() - width) {
            throw new PickleException("pickle length " + declared + " exceeds the " + length + "-byte body");
        }
    }

    private Callable resolve(String module, String name) {
        String qualified = module + "." + name;
        if (qualified.equals("builtins.getattr") || qualified.equals("__builtin__.getattr")) {
            // Protocols below 4 reach nested names such as ZoneInfo._unpickle through getattr(cls, name); resolve the
            // attribute by name through the same allow-list instead of looking anything up.
            return new Callable() {
                @Override
                public String name() {
                    return qualified;
                }

                @Override
                public Object call(List<Object> args) {
                    if (args.size() != 2
                            || !(args.get(0) instanceof Callable owner)
                            || !(args.get(1) instanceof String attr)) {
                        throw new PickleException("getattr needs a class and a name");
                    }
                    int dot = owner.name().lastIndexOf('.');
                    return resolve(owner.name().substring(0, dot), owner.name().substring(dot + 1) + "." + attr);
                }
            };
        }
        Callable known = PickleObjects.known(qualified);
        if (known != null) {
            return known;
        }
        if (policy == PicklePolicy.REJECT) {
            throw new BodyException(
                    Reason.PICKLE_CLASS_REFUSED,
                    "pickle refers to " + qualified + ", which is not a known data type (pickle policy REJECT)");
        }
        return PickleObjects.unknown(qualified);
    }

    private static Object call(Object callable, Object args) {
        if (!(callable instanceof Callable c)) {
            throw new PickleException("pickle calls something that is not a class: " + describe(callable));
        }
        List<Object> list = args instanceof Object[] tuple
                ? new ArrayList<>(Arrays.asList(tuple))
                : new ArrayList<>(PickleObjects.iterable(args));
        return c.call(list);
    }

    private static void build(Object state, Object target) {
        if (target instanceof PyUuid uuid) {
            PickleObjects.setUuidState(uuid, state);
        } else if (target instanceof PyObject obj) {
            obj.state = state;
        } else {
            throw new PickleException("BUILD on " + describe(target) + " is not supported");
        }
    }

    private static Map<Object, Object> putAll(Object target, List<Object> flat) {
        Map<Object, Object> map;
        if (target instanceof PyObject obj) {
            map = obj.items;
        } else if (target instanceof LinkedHashMap<?, ?>) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> m = (Map<Object, Object>) target;
            map = m;
        } else {
            throw new PickleException("SETITEM target is " + describe(target) + ", not a dict");
        }
        if (flat.size() % 2 != 0) {
            throw new PickleException("odd number of dict items");
        }
        for (int i = 0; i < flat.size(); i += 2) {
            Object k = flat.get(i);
            if (k instanceof Object[] || k instanceof List<?> || k instanceof Map<?, ?> || k instanceof byte[]) {
                map.put(new PyKey(k), flat.get(i + 1));
            } else {
                map.put(k, flat.get(i + 1));
            }
        }
        return map;
    }

    private static void append(Object target, List<Object> values) {
        List<Object> list;
        if (target instanceof PyObject obj) {
            list = obj.listItems;
        } else if (target instanceof ArrayList<?>) {
            @SuppressWarnings("unchecked")
            List<Object> l = (List<Object>) target;
            list = l;
        } else {
            throw new PickleException("APPEND target is " + describe(target) + ", not a list");
        }
        for (Object v : values) {
            list.add(v == NONE ? null : v);
        }
    }

    private static String describe(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Callable c) {
            return c.name();
        }
        return value.getClass().getSimpleName();
    }

    /** A dict key JSON cannot hold (tuple, bytes); kept so the converter can report it precisely. */
    record PyKey(Object value) {}
}
