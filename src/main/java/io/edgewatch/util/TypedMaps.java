package io.edgewatch.util;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.DataType;

import java.util.Map;

/**
 * MVStore maps with explicit key and value types (long, string, byte[]), so that reading a store file never reaches
 * MVStore's default {@code ObjectDataType}, which falls back to Java deserialisation ({@code ObjectInputStream}) for
 * an unknown type tag: a hostile or damaged spool or gallery file could otherwise run code before anything was
 * authenticated. The typed map of {@code name} is stored as {@code name + ".v2"}.
 *
 * <p>Stores written before (maps {@code name} with the default type) are migrated once on a writable open: the old
 * map is read with the JDK serialisation filter rejecting every class ({@link SerialFilter}), each key and value must be
 * of the expected class (Long, String, byte[] are encoded natively, without Java serialisation), then it is copied
 * and removed. A read-only open of an unmigrated store reads the old map the same guarded way.
 */
public final class TypedMaps {
    /** Suffix of the typed maps' names. */
    public static final String SUFFIX = ".v2";

    private TypedMaps() {
    }

    /**
     * Opens (creating when absent, unless the store is read-only) the typed map {@code name}.
     *
     * @param keyClass   class every key of a legacy map must have
     * @param valueClass class every value of a legacy map must have
     * @throws IllegalStateException when a legacy map holds a key or value of another class, or the JDK filter
     *                               refused a serialised object in it (the store is then not trustworthy)
     */
    public static <K, V> MVMap<K, V> open(MVStore store, String name, DataType<K> keyType, DataType<V> valueType, Class<K> keyClass,
                                          Class<V> valueClass) {
        String typed = name + SUFFIX;
        boolean legacy = store.hasMap(name);
        if (legacy && store.isReadOnly() && !store.hasMap(typed)) {
            MVMap<Object, Object> old = legacy(store, name, keyClass, valueClass);
            @SuppressWarnings("unchecked")
            MVMap<K, V> cast = (MVMap<K, V>) (MVMap<?, ?>) old;
            return cast;
        }
        MVMap<K, V> map = store.openMap(typed, new MVMap.Builder<K, V>().keyType(keyType).valueType(valueType));
        if (legacy && !store.isReadOnly()) {
            MVMap<Object, Object> old = legacy(store, name, keyClass, valueClass);
            for (Map.Entry<Object, Object> e : old.entrySet()) {
                map.putIfAbsent(keyClass.cast(e.getKey()), valueClass.cast(e.getValue()));
            }
            store.removeMap(old);
        }
        return map;
    }

    /** Opens and checks a map of the earlier format under the reject-all deserialisation filter. */
    private static MVMap<Object, Object> legacy(MVStore store, String name, Class<?> keyClass, Class<?> valueClass) {
        SerialFilter.rejectAll();
        MVMap<Object, Object> old;
        try {
            old = store.openMap(name);
            for (Map.Entry<Object, Object> e : old.entrySet()) {
                if (!keyClass.isInstance(e.getKey()) || !valueClass.isInstance(e.getValue())) {
                    throw new IllegalStateException("map '" + name + "' holds a " + typeOf(e.getKey()) + " -> " + typeOf(e.getValue())
                            + " entry where " + keyClass.getSimpleName() + " -> " + valueClass.getSimpleName() + " was expected");
                }
            }
        } catch (IllegalStateException e) {
            throw e;
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage()).contains("deserialize") || e.getCause() instanceof java.io.InvalidClassException
                    ? "it holds a serialised Java object, refused unread by the deserialisation filter"
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            throw new IllegalStateException("map '" + name + "' cannot be read safely: " + why, e);
        }
        return old;
    }

    private static String typeOf(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }
}
