package io.edgewatch.inference;

import org.bytedeco.javacpp.Loader;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Loads TensorFlow Lite external-delegate plugins with the Java FFM API ({@code java.lang.foreign}).
 *
 * <p>Every NPU vendor ships its delegate as a shared library exporting the interface of TFLite's
 * {@code tensorflow/lite/delegates/external/external_delegate_interface.h}:
 * {@code TfLiteDelegate* tflite_plugin_create_delegate(char** keys, char** values, size_t n, void (*report_error)(const char*))}
 * and {@code void tflite_plugin_destroy_delegate(TfLiteDelegate*)}. Steps:
 * <ol>
 *   <li>the TFLite library the agent already loaded (JavaCPP's {@code libjnitensorflowlite.so}, which links TFLite
 *       statically and exports its C API) is promoted to global symbol visibility with
 *       {@code dlopen(path, RTLD_NOLOAD | RTLD_GLOBAL | RTLD_NOW)}, so plugins that call TFLite functions such as
 *       {@code TfLiteIntArrayCreate} resolve them;</li>
 *   <li>the plugin is opened with {@code RTLD_NOW | RTLD_LOCAL}: a symbol that still cannot be resolved makes
 *       {@code dlopen} fail with the loader's message instead of crashing the JVM at the first call;</li>
 *   <li>both plugin functions are looked up; the options are passed as C string arrays, and an upcall stub for
 *       {@code report_error} forwards the plugin's own words to our log and into the exception.</li>
 * </ol>
 * Plugin libraries are never {@code dlclose}d: vendor delegates keep driver threads and static state alive.
 * Linux (glibc) only; the {@code dlopen} flags are the glibc values for x86_64 and aarch64.
 */
public final class ExternalDelegateLoader {
    private static final Logger LOG = Logger.getLogger(ExternalDelegateLoader.class);

    /** glibc {@code <dlfcn.h>} values (x86_64, aarch64). */
    static final int RTLD_NOW = 0x2;
    static final int RTLD_NOLOAD = 0x4;
    static final int RTLD_GLOBAL = 0x100;
    static final int RTLD_LOCAL = 0;

    /** Symbol names of the external-delegate plugin interface. */
    public static final String CREATE_SYMBOL = "tflite_plugin_create_delegate";
    public static final String DESTROY_SYMBOL = "tflite_plugin_destroy_delegate";

    private final Linker linker = Linker.nativeLinker();
    private final MethodHandle dlopen;
    private final MethodHandle dlsym;
    private final MethodHandle dlerror;

    public ExternalDelegateLoader() {
        SymbolLookup libc = linker.defaultLookup();
        dlopen = linker.downcallHandle(find(libc, "dlopen"),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        dlsym = linker.downcallHandle(find(libc, "dlsym"),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        dlerror = linker.downcallHandle(find(libc, "dlerror"), FunctionDescriptor.of(ValueLayout.ADDRESS));
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new DelegateException(
                "the C library does not export " + name + ": external delegates need Linux with glibc 2.34 or newer"));
    }

    /**
     * Promotes the loaded TensorFlow Lite library to global symbol visibility. Idempotent (dlopen only raises the
     * reference count of a library that is already loaded).
     *
     * @return the path of the promoted library
     * @throws DelegateException when the library cannot be found or promoted
     */
    public Path promoteTflite() {
        Loader.load(org.bytedeco.tensorflowlite.global.tensorflowlite.class);
        Path lib = loadedTflitePath().orElseThrow(() -> new DelegateException(
                "cannot find the loaded TensorFlow Lite library (libjnitensorflowlite.so) in JavaCPP's loaded libraries"
                        + " or /proc/self/maps, so external delegates cannot resolve TFLite symbols"));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = (MemorySegment) dlopen.invokeExact(a.allocateFrom(lib.toString()), RTLD_NOLOAD | RTLD_GLOBAL | RTLD_NOW);
            if (h.equals(MemorySegment.NULL)) {
                throw new DelegateException("cannot promote " + lib + " to global symbol visibility: " + lastError());
            }
        } catch (DelegateException e) {
            throw e;
        } catch (Throwable t) {
            throw new DelegateException("cannot promote " + lib + ": " + t, t);
        }
        return lib;
    }

    /** Path of JavaCPP's TFLite JNI library as loaded in this process. */
    static Optional<Path> loadedTflitePath() {
        for (String p : Loader.getLoadedLibraries().values()) {
            if (p != null && p.contains("libjnitensorflowlite")) {
                return Optional.of(Path.of(p));
            }
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int i = line.indexOf('/');
                if (i > 0 && line.contains("libjnitensorflowlite")) {
                    return Optional.of(Path.of(line.substring(i).trim()));
                }
            }
        } catch (IOException e) {
            LOG.debugf("cannot read /proc/self/maps: %s", e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * Loads {@code library} and creates one delegate with {@code options}.
     *
     * @param library a path (must exist) or a bare soname looked up by the dynamic loader, e.g. {@code libedgetpu.so.1}
     * @param options plugin options in order, e.g. {@code device=usb}; keys and values must not contain NUL
     * @param context what the delegate is for (model id), used in messages
     * @return the created delegate; close it after every interpreter using it
     * @throws DelegateException naming the library when it is missing, not a plugin, has unresolved symbols, or
     *                           its create function returns NULL (with the plugin's reported words)
     */
    public ExternalDelegate create(String library, Map<String, String> options, String context) {
        if (library == null || library.isBlank()) {
            throw new DelegateException(context + ": external delegate library is not set");
        }
        if (library.contains("/") && !Files.isRegularFile(Path.of(library))) {
            throw new DelegateException(context + ": external delegate library " + library + " does not exist");
        }
        Path promoted = promoteTflite();
        LOG.debugf("promoted %s to RTLD_GLOBAL", promoted);
        MemorySegment handle;
        try (Arena a = Arena.ofConfined()) {
            handle = (MemorySegment) dlopen.invokeExact(a.allocateFrom(library), RTLD_NOW | RTLD_LOCAL);
        } catch (Throwable t) {
            throw new DelegateException(context + ": dlopen " + library + " failed: " + t, t);
        }
        if (handle.equals(MemorySegment.NULL)) {
            throw new DelegateException(context + ": cannot load external delegate library " + library + ": " + lastError());
        }
        MemorySegment create = symbol(handle, CREATE_SYMBOL);
        MemorySegment destroy = symbol(handle, DESTROY_SYMBOL);
        if (create.equals(MemorySegment.NULL) || destroy.equals(MemorySegment.NULL)) {
            throw new DelegateException(context + ": " + library + " is not a TensorFlow Lite external delegate plugin: it does not export "
                    + (create.equals(MemorySegment.NULL) ? CREATE_SYMBOL : DESTROY_SYMBOL));
        }
        MethodHandle createFn = linker.downcallHandle(create, FunctionDescriptor.of(ValueLayout.ADDRESS,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        MethodHandle destroyFn = linker.downcallHandle(destroy, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));

        Arena arena = Arena.ofShared();
        CopyOnWriteArrayList<String> messages = new CopyOnWriteArrayList<>();
        ErrorReporter reporter = new ErrorReporter(library, context, messages);
        MemorySegment delegate;
        try {
            MemorySegment stub = linker.upcallStub(ErrorReporter.HANDLE.bindTo(reporter),
                    FunctionDescriptor.ofVoid(ValueLayout.ADDRESS), arena);
            Map<String, String> opts = new LinkedHashMap<>(options);
            MemorySegment keys = arena.allocate(ValueLayout.ADDRESS, Math.max(1, opts.size()));
            MemorySegment values = arena.allocate(ValueLayout.ADDRESS, Math.max(1, opts.size()));
            int i = 0;
            for (Map.Entry<String, String> e : opts.entrySet()) {
                keys.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(e.getKey()));
                values.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(e.getValue()));
                i++;
            }
            delegate = (MemorySegment) createFn.invokeExact(keys, values, (long) opts.size(), stub);
        } catch (Throwable t) {
            arena.close();
            throw new DelegateException(context + ": " + library + " " + CREATE_SYMBOL + " failed: " + t, t);
        }
        if (delegate.equals(MemorySegment.NULL)) {
            arena.close();
            throw new DelegateException(context + ": " + library + " could not create a delegate with options " + options
                    + (messages.isEmpty() ? " (the plugin reported no reason)" : ": " + String.join("; ", messages)));
        }
        LOG.infof("%s: created delegate from %s with options %s", context, library, options);
        return new ExternalDelegate(library, options, delegate, destroyFn, arena, messages);
    }

    private MemorySegment symbol(MemorySegment handle, String name) {
        try (Arena a = Arena.ofConfined()) {
            return (MemorySegment) dlsym.invokeExact(handle, a.allocateFrom(name));
        } catch (Throwable t) {
            throw new DelegateException("dlsym " + name + " failed: " + t, t);
        }
    }

    private String lastError() {
        try {
            MemorySegment p = (MemorySegment) dlerror.invokeExact();
            return p.equals(MemorySegment.NULL) ? "unknown dlopen error" : p.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return "dlerror failed: " + t;
        }
    }

    /** Target of the {@code report_error} upcall: logs the plugin's words and keeps them for the exception. */
    static final class ErrorReporter {
        static final MethodHandle HANDLE;

        static {
            try {
                HANDLE = MethodHandles.lookup().findVirtual(ErrorReporter.class, "report",
                        MethodType.methodType(void.class, MemorySegment.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final String library;
        private final String context;
        private final CopyOnWriteArrayList<String> messages;

        ErrorReporter(String library, String context, CopyOnWriteArrayList<String> messages) {
            this.library = library;
            this.context = context;
            this.messages = messages;
        }

        /** Never throws: an exception escaping an upcall would end the JVM. */
        void report(MemorySegment message) {
            try {
                String text = message.equals(MemorySegment.NULL) ? "(null)" : message.reinterpret(65_536).getString(0);
                if (messages.size() < 100) {
                    messages.add(text);
                }
                LOG.errorf("%s: delegate plugin %s reports: %s", context, library, text);
            } catch (Throwable t) {
                // swallow: see method comment
            }
        }
    }
}
