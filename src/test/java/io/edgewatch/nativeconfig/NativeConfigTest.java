package io.edgewatch.nativeconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.testsupport.TestPaths;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Linker;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * native/config/reachability-metadata.json stays true to the class path: every class registered for reflection
 * exists and has the registered no-argument constructor (a configuration mapping interface: all its public methods), every resource bundle loads, the plain resources exist,
 * and every FFM layout is a canonical layout of this platform's linker.
 */
class NativeConfigTest {
    private final JsonNode metadata;

    NativeConfigTest() throws Exception {
        metadata = new ObjectMapper().readTree(TestPaths.projectRoot().resolve("native/config/reachability-metadata.json").toFile());
    }

    @Test
    void reflectionTypesExistWithTheirConstructors() throws Exception {
        List<String> types = new ArrayList<>();
        for (JsonNode r : metadata.get("reflection")) {
            Class<?> c = Class.forName(r.get("type").asText());
            if (c.isInterface()) {
                // a configuration mapping, read by config.MappingConstraints: its methods, not a constructor
                assertThat(r.path("allPublicMethods").asBoolean()).as(c.getName()).isTrue();
            } else {
                c.getDeclaredConstructor();
            }
            types.add(c.getSimpleName());
        }
        assertThat(types).contains("TCPNetworkModuleFactory", "SSLNetworkModuleFactory", "JSR47Logger", "ResourceBundleCatalog");
    }

    @Test
    void bundlesAndResourcesExist() {
        int bundles = 0;
        for (JsonNode r : metadata.get("resources")) {
            if (r.has("bundle")) {
                assertThat(ResourceBundle.getBundle(r.get("bundle").asText())).as(r.get("bundle").asText()).isNotNull();
                bundles++;
            } else {
                String glob = r.get("glob").asText();
                if (!glob.contains("*")) {
                    assertThat(getClass().getClassLoader().getResource(glob)).as(glob).isNotNull();
                }
            }
        }
        assertThat(bundles).isEqualTo(3);
    }

    @Test
    void foreignSignaturesUseCanonicalLayouts() {
        Set<String> canonical = Linker.nativeLinker().canonicalLayouts().keySet();
        int downcalls = 0;
        for (String kind : List.of("downcalls", "upcalls")) {
            for (JsonNode d : metadata.get("foreign").get(kind)) {
                String ret = d.get("returnType").asText();
                assertThat(ret.equals("void") || canonical.contains(ret)).as(ret).isTrue();
                for (JsonNode p : d.get("parameterTypes")) {
                    assertThat(canonical).as(d.get("reason").asText()).contains(p.asText());
                }
                downcalls += kind.equals("downcalls") ? 1 : 0;
            }
        }
        assertThat(downcalls).isEqualTo(6);
    }
}
