package io.edgewatch.config;

import io.smallrye.config.ConfigMapping.NamingStrategy;
import io.smallrye.config.ConfigMappingInterface;
import io.smallrye.config.ConfigMappingInterface.Property;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValidationException.Problem;
import io.smallrye.config.ConfigValidator;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;
import jakarta.validation.Constraint;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the Jakarta Bean Validation constraints written on the agent's configuration mappings ({@code io.edgewatch.*}
 * {@link io.smallrye.config.ConfigMapping} interfaces) once, when SmallRye Config builds them, and reports every value
 * out of range as a {@link ConfigValidationException} problem {@code <key> <message>}, the form SmallRye's
 * Bean Validation validator gives (so start-up stops with exit code 1 naming the key, the allowed range and the value).
 *
 * <p>Why not Hibernate Validator: Quarkus' extension built the metadata of all 134 configuration mapping classes of the
 * application (Quarkus' own included, none of which carries a constraint) by reflection at every start, 0.7 s of a
 * 3.2 s start to the first event (README "Footprint"). The agent's mappings use five constraints, and their semantics
 * are small:
 * <ul>
 *   <li>{@link Min} / {@link Max} ({@code long} limit, inclusive) and {@link DecimalMin} / {@link DecimalMax}
 *       (decimal limit, {@code inclusive} honoured) on {@code int}, {@code long}, {@code double}, their boxes,
 *       {@link BigDecimal}, {@link BigInteger}; a {@code NaN} is out of range, infinities compare by sign, as in
 *       Hibernate Validator;</li>
 *   <li>{@link Pattern} on a string: the whole string must match ({@link java.util.regex.Matcher#matches()}).</li>
 * </ul>
 * Where a constraint may stand, as in Bean Validation 3.0: on the method (its value; an {@code Optional},
 * {@code OptionalInt}, {@code OptionalLong} or {@code OptionalDouble} is unwrapped, an empty one passes) and on type
 * arguments: {@code Optional<@C T>}, {@code Map<@K String, @V T>} (a map key is reported under the entry's key,
 * {@code prefix.zones.<name>}), {@code List<@E T>} ({@code name[i]}). A {@code null} passes. Groups, optional groups and
 * maps and lists of groups are descended into.
 *
 * <p>Messages: the {@code message} attribute with {@code {value}}, {@code {regexp}} and {@code ${validatedValue}}
 * replaced (a URL's user info in the value as {@code ***}); the default message is
 * {@code must be greater than or equal to <limit>, was <value>} and the like. A map key is named as it is written:
 * {@code "cam.1"} and {@code ""} quoted; an empty name is checked as the empty string.
 * Any other constraint annotation ({@code @NotNull}, {@code @Size}, ...) on a mapping, or one of the five on a type it
 * does not apply to, is a programming error: {@link IllegalStateException} naming the method, never a constraint
 * silently skipped ({@code MappingConstraintsTest} walks every mapping).
 */
public final class MappingConstraints implements ConfigValidator {
    /** Package of the mappings checked. Quarkus' own mappings carry no Bean Validation constraint (MappingConstraintsTest). */
    static final String CHECKED_PACKAGE = "io.edgewatch.";

    /** Per method: the constraints on its value (declaration and type annotations, once each). */
    private final Map<Method, List<Annotation>> valueConstraints = new ConcurrentHashMap<>();

    /** Registers the validator with every SmallRye Config builder of the application (Quarkus reads this service). */
    public static final class Install implements SmallRyeConfigBuilderCustomizer {
        @Override
        public void configBuilder(SmallRyeConfigBuilder builder) {
            builder.withValidator(new MappingConstraints());
        }
    }

    @Override
    public void validateMapping(Class<?> mappingClass, String prefix, Object mappingObject) throws ConfigValidationException {
        if (!mappingClass.getName().startsWith(CHECKED_PACKAGE)) {
            return;
        }
        List<Problem> problems = new ArrayList<>();
        ConfigMappingInterface mapping = ConfigMappingInterface.getConfigurationInterface(mappingClass);
        group(mapping, mapping.getNamingStrategy(), mappingObject, prefix, problems);
        if (!problems.isEmpty()) {
            throw new ConfigValidationException(problems.toArray(Problem[]::new));
        }
    }

    private void group(ConfigMappingInterface type, NamingStrategy naming, Object object, String prefix, List<Problem> problems) {
        for (Property p : type.getProperties()) { // inherited properties included
            if (p.isDefaultMethod() || p.isToStringMethod()) {
                continue;
            }
            String own = p.isParentPropertyName() ? "" : p.getPropertyName(naming);
            String name = own.isEmpty() ? prefix : prefix.isEmpty() ? own : prefix + "." + own;
            Method m = p.getMethod();
            AnnotatedType t = m.getAnnotatedReturnType();
            value(p, naming, invoke(m, object), t, valueConstraints.computeIfAbsent(m, MappingConstraints::constraintsOf), name,
                    problems);
        }
    }

    /** The constraints on a method's value: its declaration annotations and its return type's, each once. */
    private static List<Annotation> constraintsOf(Method m) {
        Set<Annotation> all = new LinkedHashSet<>(constraints(m, m.getDeclaredAnnotations()));
        all.addAll(constraints(m, m.getAnnotatedReturnType().getAnnotations()));
        return List.copyOf(all);
    }

    private static List<Annotation> constraints(Method m, Annotation[] annotations) {
        List<Annotation> out = new ArrayList<>();
        for (Annotation a : annotations) {
            Class<? extends Annotation> k = a.annotationType();
            if (k == Min.class || k == Max.class || k == DecimalMin.class || k == DecimalMax.class || k == Pattern.class) {
                out.add(a);
            } else if (k.isAnnotationPresent(Constraint.class) || k.getName().startsWith("jakarta.validation.")) {
                throw new IllegalStateException("configuration mapping " + where(m) + ": constraint @" + k.getSimpleName()
                        + " is not supported by " + MappingConstraints.class.getName() + " (supported: @Min, @Max, @DecimalMin,"
                        + " @DecimalMax, @Pattern)");
            }
        }
        return out;
    }

    private void value(Property p, NamingStrategy naming, Object value, AnnotatedType t, List<Annotation> constraints,
                       String name, List<Problem> problems) {
        if (value == null) {
            return;
        }
        Method m = p.getMethod();
        if (value instanceof Optional<?> o) {
            if (o.isPresent()) {
                AnnotatedType inner = typeArgument(t, 0);
                List<Annotation> all = new ArrayList<>(constraints);
                if (inner != null) {
                    for (Annotation a : constraints(m, inner.getAnnotations())) {
                        if (!all.contains(a)) {
                            all.add(a);
                        }
                    }
                }
                Property nested = p.isOptional() ? p.asOptional().getNestedProperty() : p;
                value(nested, naming, o.get(), inner, all, name, problems);
            }
            return;
        }
        if (value instanceof OptionalInt o) {
            if (o.isPresent()) check(m, constraints, o.getAsInt(), name, problems);
            return;
        }
        if (value instanceof OptionalLong o) {
            if (o.isPresent()) check(m, constraints, o.getAsLong(), name, problems);
            return;
        }
        if (value instanceof OptionalDouble o) {
            if (o.isPresent()) check(m, constraints, o.getAsDouble(), name, problems);
            return;
        }
        if (p.isGroup()) {
            requireNone(m, constraints, "a group");
            ConfigMappingInterface.GroupProperty g = p.asGroup();
            group(g.getGroupType(), g.hasNamingStrategy() ? g.getNamingStrategy() : naming, value, name, problems);
            return;
        }
        if (value instanceof Map<?, ?> map) {
            requireNone(m, constraints, "a map");
            AnnotatedType keyType = typeArgument(t, 0);
            AnnotatedType valueType = typeArgument(t, 1);
            List<Annotation> keyConstraints = keyType == null ? List.of() : constraints(m, keyType.getAnnotations());
            List<Annotation> perValue = valueType == null ? List.of() : constraints(m, valueType.getAnnotations());
            Property values = p.isMap() ? p.asMap().getValueProperty() : p;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                // an empty name (edgewatch.cameras."".source) comes as a null key: it is checked as the empty string
                Object key = e.getKey() == null ? "" : e.getKey();
                String entry = name + "." + keyName(key.toString());
                check(m, keyConstraints, key, entry, problems);
                value(values, naming, e.getValue(), valueType, perValue, entry, problems);
            }
            return;
        }
        if (value instanceof Collection<?> c) {
            requireNone(m, constraints, "a collection");
            AnnotatedType elementType = typeArgument(t, 0);
            List<Annotation> elementConstraints = elementType == null ? List.of() : constraints(m, elementType.getAnnotations());
            Property elements = p.isCollection() ? p.asCollection().getElement() : p;
            int i = 0;
            for (Object element : c) {
                value(elements, naming, element, elementType, elementConstraints, name + "[" + i++ + "]", problems);
            }
            return;
        }
        check(m, constraints, value, name, problems);
    }

    /** A map key as it is written in a configuration key: quoted when empty or when it holds a dot. */
    static String keyName(String key) {
        return key.isEmpty() || key.indexOf('.') >= 0 ? "\"" + key + "\"" : key;
    }

    private static void requireNone(Method m, List<Annotation> constraints, String what) {
        if (!constraints.isEmpty()) {
            throw new IllegalStateException("configuration mapping " + where(m) + ": @"
                    + constraints.get(0).annotationType().getSimpleName() + " on " + what + " is not supported");
        }
    }

    private static AnnotatedType typeArgument(AnnotatedType t, int i) {
        if (t instanceof AnnotatedParameterizedType p && p.getAnnotatedActualTypeArguments().length > i) {
            return p.getAnnotatedActualTypeArguments()[i];
        }
        return null;
    }

    private static void check(Method m, List<Annotation> constraints, Object value, String name, List<Problem> problems) {
        if (value == null) {
            return; // as in Bean Validation: a missing value is valid
        }
        for (Annotation a : constraints) {
            String message = switch (a) {
                case Min min -> above(compare(m, a, value, BigDecimal.valueOf(min.value())), true) ? null
                        : message(min.message(), "must be greater than or equal to {value}", String.valueOf(min.value()), value);
                case Max max -> below(compare(m, a, value, BigDecimal.valueOf(max.value())), true) ? null
                        : message(max.message(), "must be less than or equal to {value}", String.valueOf(max.value()), value);
                case DecimalMin min -> above(compare(m, a, value, decimal(m, min.value())), min.inclusive()) ? null
                        : message(min.message(), "must be greater than " + (min.inclusive() ? "or equal to " : "") + "{value}", min.value(), value);
                case DecimalMax max -> below(compare(m, a, value, decimal(m, max.value())), max.inclusive()) ? null
                        : message(max.message(), "must be less than " + (max.inclusive() ? "or equal to " : "") + "{value}", max.value(), value);
                case Pattern pattern -> {
                    if (!(value instanceof CharSequence s)) {
                        throw unsupported(m, a, value);
                    }
                    if (pattern.flags().length > 0) {
                        throw new IllegalStateException("configuration mapping " + where(m) + ": @Pattern flags are not supported");
                    }
                    yield java.util.regex.Pattern.compile(pattern.regexp()).matcher(s).matches() ? null
                            : message(pattern.message(), "must match \"{regexp}\"", pattern.regexp(), value);
                }
                default -> throw unsupported(m, a, value);
            };
            if (message != null) {
                problems.add(new Problem(name + " " + message));
            }
        }
    }

    /** {@link #compare}'s answer for NaN: out of range of every limit (below a minimum and above a maximum). */
    private static final int NAN = Integer.MIN_VALUE;

    /** Whether a {@link #compare} answer is above the limit (or at it, when inclusive); never for NaN. */
    private static boolean above(int c, boolean inclusive) {
        return c != NAN && (c > 0 || (c == 0 && inclusive));
    }

    /** Whether a {@link #compare} answer is below the limit (or at it, when inclusive); never for NaN. */
    private static boolean below(int c, boolean inclusive) {
        return c != NAN && (c < 0 || (c == 0 && inclusive));
    }

    /** Sign of {@code value - limit}; {@link #NAN} for a NaN, which no minimum or maximum admits. */
    private static int compare(Method m, Annotation a, Object value, BigDecimal limit) {
        return switch (value) {
            case Double d when d.isNaN() -> NAN;
            case Float f when f.isNaN() -> NAN;
            case Double d when d.isInfinite() -> d > 0 ? 1 : -1;
            case Float f when f.isInfinite() -> f > 0 ? 1 : -1;
            case Double d -> BigDecimal.valueOf(d).compareTo(limit);
            case Float f -> new BigDecimal(f.toString()).compareTo(limit);
            case Integer i -> BigDecimal.valueOf(i).compareTo(limit);
            case Long l -> BigDecimal.valueOf(l).compareTo(limit);
            case Short s -> BigDecimal.valueOf(s).compareTo(limit);
            case Byte b -> BigDecimal.valueOf(b).compareTo(limit);
            case BigDecimal b -> b.compareTo(limit);
            case BigInteger b -> new BigDecimal(b).compareTo(limit);
            default -> throw unsupported(m, a, value);
        };
    }

    private static BigDecimal decimal(Method m, String limit) {
        try {
            return new BigDecimal(limit);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("configuration mapping " + where(m) + ": limit '" + limit + "' is not a decimal", e);
        }
    }

    /**
     * The violation's text: the constraint's own message, or (for the Bean Validation default key) the given default
     * followed by {@code , was <value>}; {@code {value}} and {@code {regexp}} are the limit, {@code ${validatedValue}} the
     * value.
     */
    private static String message(String template, String defaultText, String limit, Object value) {
        String t = template.startsWith("{jakarta.validation.constraints.") ? defaultText + ", was ${validatedValue}" : template;
        // the value as given may be a URL with credentials typed into the wrong key: its user info is not repeated
        return t.replace("{value}", limit).replace("{regexp}", limit)
                .replace("${validatedValue}", io.edgewatch.util.Redaction.text(String.valueOf(value)));
    }

    private static IllegalStateException unsupported(Method m, Annotation a, Object value) {
        return new IllegalStateException("configuration mapping " + where(m) + ": @" + a.annotationType().getSimpleName()
                + " does not apply to a " + value.getClass().getSimpleName());
    }

    private static String where(Method m) {
        return m.getDeclaringClass().getName() + "." + m.getName() + "()";
    }

    private static Object invoke(Method m, Object object) {
        try {
            return m.invoke(object);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("configuration mapping " + where(m) + " cannot be read", e);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
