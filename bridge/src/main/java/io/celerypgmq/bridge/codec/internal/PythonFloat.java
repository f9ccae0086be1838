package io.celerypgmq.bridge.codec.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code float.__repr__}: the shortest decimal that reads back as the same double, written in fixed notation
 * when the decimal exponent is in (-4, 16] and in exponent notation ({@code 1e+20}, {@code 1.5e-07}) otherwise. Java 17's
 * {@code Double.toString} is neither shortest in every case nor formatted the same way, and Celery's argsrepr and
 * json.dumps bodies depend on this exact text.
 */
public final class PythonFloat {
    private static final RoundingMode[] CANDIDATES = {RoundingMode.HALF_EVEN, RoundingMode.DOWN, RoundingMode.UP};

    private PythonFloat() {}

    /** The text {@code json.dumps} writes: {@code NaN}, {@code Infinity}, {@code -Infinity} or the repr. */
    public static String json(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return repr(value);
    }

    /** The text {@code repr()} writes: {@code nan}, {@code inf}, {@code -inf} or the shortest round-trip form. */
    public static String repr(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortest(Math.abs(value));
        String digits = shortest.unscaledValue().toString();
        int decpt = digits.length() - shortest.scale();
        String body = (decpt <= -4 || decpt > 16) ? exponent(digits, decpt) : fixed(digits, decpt);
        return value < 0 ? "-" + body : body;
    }

    private static BigDecimal shortest(double magnitude) {
        BigDecimal exact = new BigDecimal(magnitude);
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal best = null;
            for (RoundingMode mode : CANDIDATES) {
                BigDecimal candidate = exact.round(new MathContext(precision, mode));
                if (candidate.doubleValue() == magnitude
                        && (best == null
                                || candidate
                                                .subtract(exact)
                                                .abs()
                                                .compareTo(best.subtract(exact).abs())
                                        < 0)) {
                    best = candidate;
                }
            }
            if (best != null) {
                return best.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17)).stripTrailingZeros();
    }

    private static String fixed(String digits, int decpt) {
        if (decpt <= 0) {
            return "0." + "0".repeat(-decpt) + digits;
        }
        if (decpt >= digits.length()) {
            return digits + "0".repeat(decpt - digits.length()) + ".0";
        }
        return digits.substring(0, decpt) + "." + digits.substring(decpt);
    }

    private static String exponent(String digits, int decpt) {
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        int exp = decpt - 1;
        String expDigits = Integer.toString(Math.abs(exp));
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (expDigits.length() < 2 ? "0" + expDigits : expDigits);
    }
}
