package io.edgewatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.testsupport.TestPaths;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link MappingConstraints} on hand-made mappings (every supported place and type, boundaries, NaN and infinities, the
 * message forms) and on the agent's own mappings (every constraint found, supported, and its message complete).
 */
class MappingConstraintsTest {

    interface Base {
        @WithDefault("1") @Min(1) int baseCount();
    }

    @ConfigMapping(prefix = "t")
    interface Sample extends Base {
        @WithDefault("1") @Min(1) int count();

        @WithDefault("10") @Max(10) long limit();

        @WithDefault("0.5") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double ratio();

        Optional<@DecimalMin("0.1") @DecimalMax(value = "100", inclusive = false) Double> delayS();

        @Min(2) OptionalInt workers();

        @WithDefault("a") @Pattern(regexp = "[a-z]+", message = "must be lower-case letters, was '${validatedValue}'") String word();

        @WithDefault("b") @Pattern(regexp = "b|c") String letter();

        Map<@Pattern(regexp = "[a-z]{1,8}", message = "names are 1..8 letters, was '${validatedValue}'") String, Area> areas();

        Map<String, @Max(5) Integer> weights();

        Optional<List<@Min(1) Integer>> sizes();

        @WithName("nested-part") Part part();

        interface Area {
            @WithDefault("3") @Min(3) int corners();
        }

        interface Part {
            @WithDefault("1") @DecimalMin("1") double scaleFactor();
        }
    }

    @ConfigMapping(prefix = "u")
    interface Unsupported {
        @WithDefault("x") @NotNull String name();
    }

    private static SmallRyeConfig build(Class<?> mapping, Map<String, String> props) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(props, "test", 500)).withMapping(mapping)
                .withValidator(new MappingConstraints()).build();
    }

    private static List<String> problems(Map<String, String> props) {
        try {
            build(Sample.class, props);
            return List.of();
        } catch (ConfigValidationException e) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < e.getProblemCount(); i++) out.add(e.getProblem(i).getMessage());
            return out;
        }
    }

    @Test
    void defaultsAndValuesInRangePass() {
        assertThat(problems(Map.of())).isEmpty();
        // every limit itself where inclusive
        assertThat(problems(Map.of("t.count", "1", "t.limit", "10", "t.ratio", "1", "t.delay-s", "0.1", "t.workers", "2",
                "t.areas.yard.corners", "3", "t.weights.x", "5", "t.sizes", "1,2", "t.nested-part.scale-factor", "1"))).isEmpty();
        SmallRyeConfig c = build(Sample.class, Map.of("t.delay-s", "99.5", "t.word", "abc"));
        assertThat(c.getConfigMapping(Sample.class).delayS()).contains(99.5);
    }

    @Test
    void eachViolationNamesTheKeyTheLimitAndTheValue() {
        assertThat(problems(Map.of("t.count", "0"))).containsExactly("t.count must be greater than or equal to 1, was 0");
        assertThat(problems(Map.of("t.limit", "11"))).containsExactly("t.limit must be less than or equal to 10, was 11");
        assertThat(problems(Map.of("t.ratio", "0"))).containsExactly("t.ratio must be greater than 0, was 0.0");
        assertThat(problems(Map.of("t.ratio", "1.0000001"))).containsExactly("t.ratio must be less than or equal to 1, was 1.0000001");
        assertThat(problems(Map.of("t.delay-s", "0.09"))).containsExactly("t.delay-s must be greater than or equal to 0.1, was 0.09");
        assertThat(problems(Map.of("t.delay-s", "100"))).containsExactly("t.delay-s must be less than 100, was 100.0");
        assertThat(problems(Map.of("t.workers", "1"))).containsExactly("t.workers must be greater than or equal to 2, was 1");
        assertThat(problems(Map.of("t.word", "Abc"))).containsExactly("t.word must be lower-case letters, was 'Abc'");
        // the whole string must match, not a part of it
        assertThat(problems(Map.of("t.letter", "bc"))).containsExactly("t.letter must match \"b|c\", was bc");
        assertThat(problems(Map.of("t.areas.North.corners", "3")))
                .containsExactly("t.areas.North names are 1..8 letters, was 'North'");
        assertThat(problems(Map.of("t.areas.yard.corners", "2")))
                .containsExactly("t.areas.yard.corners must be greater than or equal to 3, was 2");
        assertThat(problems(Map.of("t.weights.x", "6"))).containsExactly("t.weights.x must be less than or equal to 5, was 6");
        assertThat(problems(Map.of("t.sizes", "3,0"))).containsExactly("t.sizes[1] must be greater than or equal to 1, was 0");
        // a group's key in kebab case, with its @WithName
        assertThat(problems(Map.of("t.nested-part.scale-factor", "0.5")))
                .containsExactly("t.nested-part.scale-factor must be greater than or equal to 1, was 0.5");
        // an inherited property: checked once, under its own key
        assertThat(problems(Map.of("t.base-count", "0"))).containsExactly("t.base-count must be greater than or equal to 1, was 0");
        // an empty or dotted name is named as written, and an empty one is checked (not skipped as a null)
        assertThat(problems(Map.of("t.areas.\"\".corners", "3"))).containsExactly("t.areas.\"\" names are 1..8 letters, was ''");
        assertThat(problems(Map.of("t.areas.\"a.b\".corners", "3"))).containsExactly("t.areas.\"a.b\" names are 1..8 letters, was 'a.b'");
        // a URL with credentials given to the wrong key: its user info is not repeated
        assertThat(problems(Map.of("t.word", "rtsp://viewer:Secret123@192.0.2.10/s")))
                .containsExactly("t.word must be lower-case letters, was 'rtsp://***@192.0.2.10/s'");
                // every problem at once
        assertThat(problems(Map.of("t.count", "0", "t.limit", "11"))).hasSize(2);
    }

    @Test
    void notANumberIsOutOfEveryRangeAndInfinitiesCompareBySign() {
        assertThat(problems(Map.of("t.ratio", "NaN"))).containsExactlyInAnyOrder(
                "t.ratio must be greater than 0, was NaN", "t.ratio must be less than or equal to 1, was NaN");
        assertThat(problems(Map.of("t.delay-s", "1e309"))).containsExactly("t.delay-s must be less than 100, was Infinity");
        assertThat(problems(Map.of("t.delay-s", "-1e309")))
                .containsExactly("t.delay-s must be greater than or equal to 0.1, was -Infinity");
    }

    @Test
    void anUnsupportedConstraintIsAProgrammingErrorNamingTheMethod() {
        assertThatThrownBy(() -> build(Unsupported.class, Map.of()))
                .hasStackTraceContaining("MappingConstraintsTest$Unsupported.name(): constraint @NotNull is not supported");
    }

    @Test
    void quarkusReadsTheValidatorAsABuilderCustomizer() {
        assertThat(ServiceLoader.load(io.smallrye.config.SmallRyeConfigBuilderCustomizer.class).stream()
                .map(p -> p.type().getName())).contains(MappingConstraints.Install.class.getName());
    }

    /** The agent's mappings: every constraint is one MappingConstraints checks, on a type it applies to. */
    @Test
    void everyConstraintOfTheAgentsMappingsIsFoundAndSupported() throws IOException {
        List<Class<?>> roots = List.of(EdgewatchConfig.class, SpoolConfig.class, CaptureConfig.class, FacesConfig.class,
                HomeAssistantConfig.class, HttpConfig.class, DelegatesConfig.class, DoctorConfig.class);
        List<String> found = new ArrayList<>();
        List<Class<?>> interfaces = new ArrayList<>();
        for (Class<?> root : roots) collect(root, found, interfaces);
        // the annotations are read at run time: without jakarta.validation-api on the class path they would vanish
        assertThat(found).hasSizeGreaterThan(140);
        assertThat(found).allSatisfy(f -> assertThat(f).matches(".*@(Min|Max|DecimalMin|DecimalMax|Pattern) on [\\w.<>, ]+"));
        // the agent's defaults pass them all (the whole check, with every camera group present)
        Map<String, String> props = new HashMap<>();
        props.put("edgewatch.cameras.front.source", "/dev/video0");
        props.put("edgewatch.cameras.front.zones.door.polygon", "0.1,0.1, 0.5,0.1, 0.5,0.9");
        props.put("edgewatch.cameras.front.lines.entrance.points", "0,0.6,1,0.6");
        props.put("edgewatch.cameras.front.motion.masks.clock.polygon", "0.1,0.1, 0.5,0.1, 0.5,0.4");
        ConfigFuzzTest.build(props);
        // a native image reads them by reflection too: each interface is registered with its public methods
        JsonNode reflection = new ObjectMapper().readTree(TestPaths.projectRoot().resolve("native/config/reachability-metadata.json")
                .toFile()).get("reflection");
        List<String> registered = new ArrayList<>();
        reflection.forEach(r -> { if (r.path("allPublicMethods").asBoolean()) registered.add(r.get("type").asText()); });
        assertThat(interfaces).hasSizeGreaterThan(15);
        assertThat(registered).containsAll(interfaces.stream().map(Class::getName).toList());
    }

    private static void collect(Class<?> type, List<String> found, List<Class<?>> seen) {
        if (seen.contains(type)) return;
        seen.add(type);
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() > 0 || m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) continue;
            describe(m, m.getAnnotatedReturnType(), m.getDeclaredAnnotations(), found);
            for (Class<?> nested : referenced(m.getAnnotatedReturnType())) {
                if (nested.isInterface() && nested.getName().startsWith(MappingConstraints.CHECKED_PACKAGE)) collect(nested, found, seen);
            }
        }
    }

    private static void describe(Method m, AnnotatedType t, Annotation[] declared, List<String> found) {
        for (Annotation a : declared) record(m, t, a, found);
        for (Annotation a : t.getAnnotations()) if (!Arrays.asList(declared).contains(a)) record(m, t, a, found);
        if (t instanceof AnnotatedParameterizedType p) {
            for (AnnotatedType arg : p.getAnnotatedActualTypeArguments()) describe(m, arg, new Annotation[0], found);
        }
    }

    private static void record(Method m, AnnotatedType t, Annotation a, List<String> found) {
        if (!a.annotationType().getName().startsWith("jakarta.validation.")) return;
        String type = t.getType().getTypeName().replace("java.lang.", "").replace("java.util.", "");
        found.add(m.getDeclaringClass().getSimpleName() + "." + m.getName() + ": @" + a.annotationType().getSimpleName() + " on " + type);
        String name = a.annotationType().getSimpleName();
        boolean number = type.matches("int|long|double|Integer|Long|Double|OptionalInt|OptionalLong|OptionalDouble|Optional<Double>|Optional<Integer>");
        boolean string = type.matches("String|Optional<String>");
        assertThat(name.equals("Pattern") ? string : number).as("%s.%s: @%s on %s", m.getDeclaringClass().getName(), m.getName(), name, type)
                .isTrue();
        try {
            String message = (String) a.annotationType().getMethod("message").invoke(a);
            assertThat(message.startsWith("{jakarta.validation.constraints.") || !message.replace("${validatedValue}", "").matches(".*[{}].*"))
                    .as("message of %s.%s: %s", m.getDeclaringClass().getName(), m.getName(), message).isTrue();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Class<?>> referenced(AnnotatedType t) {
        List<Class<?>> out = new ArrayList<>();
        if (t.getType() instanceof Class<?> c) out.add(c);
        if (t instanceof AnnotatedParameterizedType p) {
            if (p.getType() instanceof java.lang.reflect.ParameterizedType pt && pt.getRawType() instanceof Class<?> raw) out.add(raw);
            for (AnnotatedType arg : p.getAnnotatedActualTypeArguments()) out.addAll(referenced(arg));
        }
        return out;
    }

    /**
     * MappingConstraints checks only the agent's mappings: no configuration class of Quarkus or SmallRye on the class path
     * carries a Bean Validation constraint (each jar's classes that refer to SmallRye Config or Quarkus' config
     * annotations are searched for a reference to {@code jakarta/validation/constraints/}).
     */
    @Test
    void quarkusOwnMappingsCarryNoConstraint() throws IOException {
        List<String> withConstraints = new ArrayList<>();
        int searched = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String jar = new File(entry).getName();
            if (!entry.endsWith(".jar") || !(jar.startsWith("quarkus-") || jar.startsWith("smallrye-"))) continue;
            if (jar.contains("-deployment") || jar.contains("junit") || jar.contains("test")) continue;
            searched++;
            try (ZipFile z = new ZipFile(entry)) {
                for (ZipEntry e : z.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                    String bytes = new String(z.getInputStream(e).readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                    if (bytes.contains("jakarta/validation/constraints/")
                            && (bytes.contains("io/smallrye/config/") || bytes.contains("io/quarkus/runtime/annotations/Config"))) {
                        withConstraints.add(jar + "!" + e.getName());
                    }
                }
            }
        }
        assertThat(searched).isGreaterThan(20);
        assertThat(withConstraints).isEmpty();
    }
}
