package io.csp4j.spi;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the {@link DispatcherProvider} to use.
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>If the system property {@value #PROPERTY} is set, it names the provider: either its
 *       {@link DispatcherProvider#name() short name} ({@code forkjoin}, {@code vertx},
 *       {@code netty}) or its fully qualified class name (which is loaded directly when no
 *       registered provider has it). A name that matches nothing is an error that lists the
 *       providers found.</li>
 *   <li>Otherwise the provider with the highest {@link DispatcherProvider#priority() priority}
 *       wins (ties broken by name, so the choice is stable).</li>
 *   <li>No provider at all is an error naming the artifacts to add.</li>
 * </ol>
 * Programmatic binding in the engine ({@code Csp.useDispatcher(...)}) takes precedence over all of
 * these. The lookup is done on demand, never in a static initializer, and is not cached here: each
 * call reads the property and the class path again.
 *
 * <p>Thread-safe; stateless.
 */
public final class Dispatchers {

    /** The system property that names the provider to use. */
    public static final String PROPERTY = "csp4j.dispatcher";

    /** The error when there is no provider at all; it names the fix. */
    static final String NONE_FOUND = "No csp4j Dispatcher found: add io.csp4j:csp4j-scheduler-forkjoin"
            + " (the embedded default), io.csp4j:csp4j-scheduler-vertx or io.csp4j:csp4j-scheduler-netty"
            + " to the class path (or module path), or bind a dispatcher programmatically with"
            + " Csp.useDispatcher(...)";

    private Dispatchers() {}

    /**
     * Every provider visible from this module's class loader (or, on the module path, its layer),
     * in the order of the selection: highest priority first, then by name.
     *
     * @return a new list, possibly empty
     * @throws ServiceConfigurationError if a registered provider cannot be instantiated
     */
    public static List<DispatcherProvider> providers() {
        return ordered(loader());
    }

    /** The selection order: highest priority first, ties broken by name. */
    static List<DispatcherProvider> ordered(Iterable<DispatcherProvider> providers) {
        List<DispatcherProvider> found = new ArrayList<>();
        for (DispatcherProvider p : providers) {
            found.add(p);
        }
        found.sort(Comparator.comparingInt(DispatcherProvider::priority).reversed()
                .thenComparing(DispatcherProvider::name));
        return found;
    }

    /**
     * The provider selected by the rules above.
     *
     * @return the provider; never {@code null}
     * @throws IllegalStateException if no provider is found, or the property names one that isn't
     */
    public static DispatcherProvider findProvider() {
        return select(System.getProperty(PROPERTY), providers());
    }

    /**
     * Applies the selection rules to a given name (may be {@code null} or blank for "none") and list.
     * Visible for the lookup's own tests and for tools that want to explain a choice.
     *
     * @param name the requested short name or class name, or {@code null}
     * @param found the providers found, in selection order
     * @return the selected provider
     * @throws IllegalStateException if nothing matches
     */
    public static DispatcherProvider select(String name, List<DispatcherProvider> found) {
        if (name != null && !name.isBlank()) {
            String wanted = name.strip();
            for (DispatcherProvider p : found) {
                if (p.name().equalsIgnoreCase(wanted) || p.getClass().getName().equals(wanted)) {
                    return p;
                }
            }
            if (wanted.indexOf('.') >= 0) {
                DispatcherProvider byClass = instantiate(wanted);
                if (byClass != null) {
                    return byClass;
                }
            }
            throw new IllegalStateException("Unknown csp4j dispatcher '" + wanted + "' (from -D" + PROPERTY
                    + "): the providers found are " + describe(found)
                    + ". Set -D" + PROPERTY + " to one of these names or to a DispatcherProvider class name,"
                    + " or add the artifact that provides '" + wanted + "' to the class path.");
        }
        if (found.isEmpty()) {
            throw new IllegalStateException(NONE_FOUND);
        }
        return found.get(0);
    }

    private static ServiceLoader<DispatcherProvider> loader() {
        Module self = Dispatchers.class.getModule();
        ModuleLayer layer = self.getLayer();
        if (self.isNamed() && layer != null && layer != ModuleLayer.boot()) {
            // Loaded in a child layer (a plugin system, or our own module-path tests): look there.
            return ServiceLoader.load(layer, DispatcherProvider.class);
        }
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        return ServiceLoader.load(DispatcherProvider.class,
                tccl != null ? tccl : Dispatchers.class.getClassLoader());
    }

    private static DispatcherProvider instantiate(String className) {
        Class<?> type;
        try {
            ClassLoader tccl = Thread.currentThread().getContextClassLoader();
            type = Class.forName(className, true, tccl != null ? tccl : Dispatchers.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
        if (!DispatcherProvider.class.isAssignableFrom(type)) {
            throw new IllegalStateException("-D" + PROPERTY + "=" + className
                    + " names a class that does not implement " + DispatcherProvider.class.getName());
        }
        try {
            return (DispatcherProvider) type.getConstructor().newInstance();
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("-D" + PROPERTY + "=" + className
                    + " cannot be instantiated: it needs a public no-argument constructor", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("-D" + PROPERTY + "=" + className
                    + " failed in its constructor: " + e.getCause(), e.getCause());
        }
    }

    private static String describe(List<DispatcherProvider> found) {
        if (found.isEmpty()) {
            return "none";
        }
        return found.stream()
                .map(p -> p.name() + " (" + p.getClass().getName() + ", priority " + p.priority() + ")")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /**
     * The calling thread's <em>home</em> among {@code lanes} lanes: an index fixed per thread and
     * spread over {@code [0, lanes)} by thread id. A backend uses it for {@link Dispatcher#lane()}
     * called outside its own threads, so that the processes one thread starts share a lane and hand
     * values to each other without waking another thread, while different threads spread out (the
     * ForkJoin, Vert.x and Netty backends all do; docs/adr/0009-lanes-that-share-work.md).
     * Thread-safe, allocation-free.
     *
     * @param lanes how many lanes there are, at least 1
     * @return the home index of the calling thread
     * @throws IllegalArgumentException if {@code lanes < 1}
     */
    public static int homeIndex(int lanes) {
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be at least 1, was " + lanes);
        }
        long h = Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L; // Fibonacci hashing
        return (int) ((h >>> 33) % lanes);
    }
}
