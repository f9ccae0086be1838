package io.celerypgmq.bridge.codec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Celery's {@code argsrepr}/{@code kwargsrepr}: a port of {@code celery.utils.saferepr.saferepr(value, 1024)} over
 * JSON values, token stream and truncation quirks included (strings quoted with only {@code '} escaped, nesting
 * beyond three levels shown as {@code [...]}, and the {@code , ...} cut that can drop the bracket it stopped at).
 * The args are rendered as the tuple Celery passes; inner arrays render as lists, since JSON kept no tuples.
 */
public final class PythonRepr {
    public static final int CELERY_MAXLEN = 1024;
    private static final int MAX_LEVELS = 3;

    private record Literal(String value, boolean truncate, int direction) {}

    private record Key(String value) {}

    private record Quoted(String value) {}

    private record Tuple(JsonNode items) {}

    private static final Literal DICT_START = new Literal("{", false, +1);
    private static final Literal DICT_KVSEP = new Literal(": ", true, 0);
    private static final Literal DICT_END = new Literal("}", false, -1);
    private static final Literal LIST_START = new Literal("[", false, +1);
    private static final Literal LIST_END = new Literal("]", false, -1);
    private static final Literal LIST_SEP = new Literal(", ", true, 0);
    private static final Literal TUPLE_START = new Literal("(", false, +1);
    private static final Literal TUPLE_END = new Literal(")", false, -1);
    private static final Literal TUPLE_END_SV = new Literal(",)", false, -1);

    private PythonRepr() {}

    /** {@code saferepr(tuple(args), 1024)}. */
    public static String argsrepr(JsonNode args) {
        return saferepr(new Tuple(args), CELERY_MAXLEN);
    }

    /** {@code saferepr(kwargs, 1024)}. */
    public static String kwargsrepr(JsonNode kwargs) {
        return saferepr(kwargs, CELERY_MAXLEN);
    }

    /** Plain {@code repr} of a JSON value, without a length limit (still three levels deep, like saferepr). */
    public static String repr(JsonNode value) {
        return saferepr(value, Integer.MAX_VALUE);
    }

    private static String saferepr(Object value, int maxlenStart) {
        StringBuilder out = new StringBuilder();
        long maxlen = maxlenStart;
        Deque<Iterator<?>> chain = new ArrayDeque<>();
        chain.add(List.of(value).iterator());
        int level = 0;
        while (true) {
            Object token = next(chain);
            if (token == null) {
                return out.toString();
            }
            String text;
            if (token instanceof Literal lit) {
                level += lit.direction();
                text = lit.value();
            } else if (token instanceof Key key) {
                text = "'" + truncate(key.value(), maxlen).replace("'", "\\'") + "'";
            } else if (token instanceof Quoted q) {
                text = "'" + truncate(q.value(), maxlen).replace("'", "\\'") + "'";
            } else if (token instanceof String s) {
                text = truncate(s, maxlen);
            } else {
                // a container: expand it, or collapse it when nested too deep
                Object[] parts = expand(token);
                if (level >= MAX_LEVELS) {
                    text = ((Literal) parts[0]).value() + "..." + ((Literal) parts[2]).value();
                } else {
                    List<Object> expanded = new ArrayList<>();
                    expanded.add(parts[0]);
                    @SuppressWarnings("unchecked")
                    List<Object> middle = (List<Object>) parts[1];
                    expanded.addAll(middle);
                    expanded.add(parts[2]);
                    chain.addFirst(expanded.iterator());
                    continue;
                }
            }
            if (maxlen <= 0) {
                out.append(", ...");
                Object rest;
                while ((rest = next(chain)) != null) {
                    if (rest instanceof Literal lit && !lit.truncate()) {
                        out.append(lit.value());
                    }
                }
                return out.toString();
            }
            out.append(text);
            maxlen -= text.codePointCount(0, text.length());
        }
    }

    private static Object next(Deque<Iterator<?>> chain) {
        while (!chain.isEmpty()) {
            Iterator<?> first = chain.peekFirst();
            if (first.hasNext()) {
                Object value = first.next();
                return value instanceof JsonNode node ? scalar(node) : value;
            }
            chain.pollFirst();
        }
        return null;
    }

    /** Scalars become their final token; containers stay nodes until the loop decides to expand them. */
    private static Object scalar(JsonNode node) {
        if (node == null || node.isNull()) {
            return "None";
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? "True" : "False";
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if (node.isNumber()) {
            return PythonFloat.repr(node.doubleValue());
        }
        if (node.isTextual()) {
            return new Quoted(node.textValue());
        }
        return node;
    }

    private static Object[] expand(Object container) {
        List<Object> middle = new ArrayList<>();
        if (container instanceof Tuple tuple) {
            addItems(tuple.items(), middle);
            return new Object[] {TUPLE_START, middle, tuple.items().size() == 1 ? TUPLE_END_SV : TUPLE_END};
        }
        JsonNode node = (JsonNode) container;
        if (node.isArray()) {
            addItems(node, middle);
            return new Object[] {LIST_START, middle, LIST_END};
        }
        int i = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); i++) {
            Map.Entry<String, JsonNode> field = it.next();
            middle.add(new Key(field.getKey()));
            middle.add(DICT_KVSEP);
            middle.add(field.getValue());
            if (i < node.size() - 1) {
                middle.add(LIST_SEP);
            }
        }
        return new Object[] {DICT_START, middle, DICT_END};
    }

    private static void addItems(JsonNode array, List<Object> middle) {
        for (int i = 0; i < array.size(); i++) {
            middle.add(array.get(i));
            if (i < array.size() - 1) {
                middle.add(LIST_SEP);
            }
        }
    }

    /** {@code celery.utils.text.truncate}: cut at maxlen code points, back to the last space, append "...". */
    static String truncate(String s, long maxlen) {
        int length = s.codePointCount(0, s.length());
        if (maxlen != 0 && maxlen <= length) {
            String head = maxlen > 0
                    ? s.substring(0, s.offsetByCodePoints(0, (int) maxlen))
                    : s.substring(0, s.offsetByCodePoints(0, Math.max(0, length + (int) maxlen)));
            int space = head.lastIndexOf(' ');
            return (space >= 0 ? head.substring(0, space) : head) + "...";
        }
        return s;
    }
}
