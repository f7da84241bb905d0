package io.edgewatch.util;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the agent says about the AOT cache. The real cases (cache in use when installed, a stale one ignored and
 * reported by {@code doctor} and {@code run}) run against the installed launcher in systemd/check.sh.
 */
class AotCacheTest {

    @Test
    void aCacheCountsAsUsedOnlyWhenTheVmReportsSharing() {
        List<String> args = List.of("--enable-native-access=ALL-UNNAMED", "-XX:AOTCache=/opt/edgewatch/quarkus-app/app.aot", "-Xmx256m");
        AotCache used = AotCache.of(args, "mixed mode, sharing", null);
        assertThat(used.inUse()).isTrue();
        assertThat(used.describe()).isEqualTo("AOT cache /opt/edgewatch/quarkus-app/app.aot in use");
        AotCache stale = AotCache.of(args, "mixed mode", null);
        assertThat(stale.inUse()).isFalse();
        assertThat(stale.describe()).contains("/opt/edgewatch/quarkus-app/app.aot was not used").contains("scripts/aot-cache.sh");
        // the JDK's default CDS archive also says "sharing": without -XX:AOTCache there is no AOT cache
        AotCache none = AotCache.of(List.of("-Xmx256m"), "mixed mode, sharing", null);
        assertThat(none.requestedPath()).isEmpty();
        assertThat(none.inUse()).isFalse();
        assertThat(none.describe()).startsWith("no AOT cache");
        // EDGEWATCH_AOT=off: the launcher left an existing cache out on purpose, which is not "no cache"
        AotCache off = AotCache.of(List.of("-Xmx256m"), "mixed mode, sharing", "off");
        assertThat(off.switchedOff()).isTrue();
        assertThat(off.describe()).startsWith("AOT cache switched off (EDGEWATCH_AOT=off").doesNotContain("no AOT cache");
        // a cache given on the command line despite the variable (not through the launcher) is what counts
        assertThat(AotCache.of(args, "mixed mode, sharing", "off").describe()).isEqualTo("AOT cache /opt/edgewatch/quarkus-app/app.aot in use");
        assertThat(AotCache.of(List.of("-Xmx256m"), "mixed mode, sharing", "on").describe()).startsWith("no AOT cache");
    }

    @Test
    void theTestJvmRunsWithoutACache() {
        AotCache here = AotCache.current();
        assertThat(here.requestedPath()).isEmpty(); // surefire passes no -XX:AOTCache
        assertThat(System.getProperty("java.vm.info")).contains("sharing"); // yet the default CDS archive is mapped
        assertThat(here.inUse()).isFalse();
    }
}
