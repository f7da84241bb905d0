package io.edgewatch.inference;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.TfLiteDelegate;
import org.jboss.logging.Logger;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One {@code TfLiteDelegate} created by an external-delegate plugin ({@code tflite_plugin_create_delegate}) and
 * destroyed with the plugin's {@code tflite_plugin_destroy_delegate} on {@link #close()}. Created by
 * {@link ExternalDelegateLoader}. The delegate must outlive every interpreter it was applied to, so a
 * {@link TfliteModel} closes it after its interpreter. Not thread-safe; close once.
 */
public final class ExternalDelegate implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ExternalDelegate.class);

    private final String library;
    private final Map<String, String> options;
    private final MemorySegment delegate;
    private final MethodHandle destroy;
    private final Arena arena;
    private final List<String> pluginMessages;
    private boolean closed;

    ExternalDelegate(String library, Map<String, String> options, MemorySegment delegate, MethodHandle destroy, Arena arena,
                     CopyOnWriteArrayList<String> pluginMessages) {
        this.library = library;
        this.options = Map.copyOf(options);
        this.delegate = delegate;
        this.destroy = destroy;
        this.arena = arena;
        this.pluginMessages = pluginMessages;
    }

    /** Library path or soname as configured, e.g. {@code libedgetpu.so.1}. */
    public String library() {
        return library;
    }

    /** Options passed to the plugin. */
    public Map<String, String> options() {
        return options;
    }

    /** Native address of the {@code TfLiteDelegate}. */
    public long address() {
        return delegate.address();
    }

    /** Messages the plugin reported through {@code report_error}, oldest first. */
    public List<String> pluginMessages() {
        return List.copyOf(pluginMessages);
    }

    /** The delegate as a Bytedeco pointer for {@code Interpreter.ModifyGraphWithDelegate}. */
    TfLiteDelegate tfliteDelegate() {
        if (closed) {
            throw new IllegalStateException("delegate of " + library + " is closed");
        }
        long addr = delegate.address();
        return new TfLiteDelegate(new Pointer() {
            {
                address = addr;
            }
        });
    }

    /** Destroys the delegate with the plugin's destroy function. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            destroy.invokeExact(delegate);
        } catch (Throwable t) {
            LOG.errorf("delegate %s: tflite_plugin_destroy_delegate failed: %s", library, t.toString());
        } finally {
            arena.close();
        }
    }
}
