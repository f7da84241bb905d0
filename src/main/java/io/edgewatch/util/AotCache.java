package io.edgewatch.util;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;

/**
 * Whether this JVM runs from a JDK 25 AOT cache (JEP 483/514/515; README "Footprint"). The launcher passes
 * {@code -XX:AOTCache=<install>/quarkus-app/app.aot} when that file exists; a cache made by another JVM build or for
 * jar files that changed since (copied without their modification times, rebuilt) is ignored by the JVM, which then
 * starts without class sharing at all, slower but correctly. So: requested = the option is among the JVM's input
 * arguments; in use = requested and the VM reports sharing ({@code java.vm.info} contains "sharing").
 *
 * @param requestedPath the {@code -XX:AOTCache} value, empty when none was given
 * @param inUse         true when the cache was mapped (classes come from it)
 * @param switchedOff   true when no cache was given because the operator set {@code EDGEWATCH_AOT=off} for the
 *                      launcher (the cache may well exist)
 */
public record AotCache(Optional<String> requestedPath, boolean inUse, boolean switchedOff) {

    /** The launcher's switch: {@code EDGEWATCH_AOT=off} leaves the cache out. */
    public static final String SWITCH = "EDGEWATCH_AOT";

    /** This JVM's state. */
    public static AotCache current() {
        return of(ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getProperty("java.vm.info", ""), System.getenv(SWITCH));
    }

    /**
     * The state for a JVM's input arguments and {@code java.vm.info}.
     *
     * @param jvmArgs input arguments ({@code -XX:AOTCache=path}, {@code -XX:SharedArchiveFile=path} as JDK 24 spelt it)
     * @param vmInfo  e.g. "mixed mode, sharing" when an archive is mapped, "mixed mode" when not
     * @param aotSwitch the launcher's {@link #SWITCH} from the environment, or null when unset
     */
    public static AotCache of(List<String> jvmArgs, String vmInfo, String aotSwitch) {
        Optional<String> path = Optional.empty();
        for (String a : jvmArgs) {
            if (a.startsWith("-XX:AOTCache=")) {
                path = Optional.of(a.substring("-XX:AOTCache=".length()));
            }
        }
        return new AotCache(path, path.isPresent() && vmInfo.contains("sharing"), path.isEmpty() && "off".equals(aotSwitch));
    }

    /** One line for the start-up log and the doctor: in use, ignored (with the remedy), or not installed. */
    public String describe() {
        if (requestedPath.isEmpty() && switchedOff) {
            return "AOT cache switched off (" + SWITCH + "=off: the launcher left quarkus-app/app.aot out; unset it for the faster start)";
        }
        if (requestedPath.isEmpty()) {
            return "no AOT cache (the launcher uses quarkus-app/app.aot when it exists; scripts/aot-cache.sh makes it)";
        }
        return inUse ? "AOT cache " + requestedPath.get() + " in use"
                : "AOT cache " + requestedPath.get() + " was not used: it is stale or made by another JVM (the JVM ignored it"
                + " and started without it, slower); remake it with scripts/aot-cache.sh on this machine and copy the"
                + " folder with cp -a";
    }
}
