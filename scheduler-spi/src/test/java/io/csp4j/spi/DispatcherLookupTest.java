package io.csp4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lookup rules of {@link Dispatchers}, on the class path. */
class DispatcherLookupTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(Dispatchers.PROPERTY);
    }

    @Test
    void providersAreListedHighestPriorityFirst() {
        List<String> names = Dispatchers.providers().stream().map(DispatcherProvider::name).toList();
        assertEquals(List.of("high", "low"), names);
    }

    @Test
    void withoutPropertyTheHighestPriorityWins() {
        assertInstanceOf(TestProviders.High.class, Dispatchers.findProvider());
    }

    @Test
    void propertySelectsByShortNameOverPriority() {
        System.setProperty(Dispatchers.PROPERTY, "low");
        assertInstanceOf(TestProviders.Low.class, Dispatchers.findProvider());
    }

    @Test
    void shortNameIsCaseInsensitiveAndTrimmed() {
        System.setProperty(Dispatchers.PROPERTY, "  LOW ");
        assertInstanceOf(TestProviders.Low.class, Dispatchers.findProvider());
    }

    @Test
    void propertySelectsARegisteredProviderByClassName() {
        System.setProperty(Dispatchers.PROPERTY, TestProviders.Low.class.getName());
        assertInstanceOf(TestProviders.Low.class, Dispatchers.findProvider());
    }

    @Test
    void propertyLoadsAnUnregisteredProviderByClassName() {
        System.setProperty(Dispatchers.PROPERTY, TestProviders.Unregistered.class.getName());
        DispatcherProvider p = Dispatchers.findProvider();
        assertInstanceOf(TestProviders.Unregistered.class, p);
        assertEquals("unregistered", p.create().name());
    }

    @Test
    void unknownNameListsTheProvidersFound() {
        System.setProperty(Dispatchers.PROPERTY, "tornado");
        IllegalStateException e = assertThrows(IllegalStateException.class, Dispatchers::findProvider);
        assertTrue(e.getMessage().startsWith("Unknown csp4j dispatcher 'tornado' (from -Dcsp4j.dispatcher)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("high (io.csp4j.spi.TestProviders$High, priority 50)"), e.getMessage());
        assertTrue(e.getMessage().contains("low (io.csp4j.spi.TestProviders$Low, priority -5)"), e.getMessage());
    }

    @Test
    void unknownClassNameIsAnErrorToo() {
        System.setProperty(Dispatchers.PROPERTY, "com.example.NoSuchProvider");
        IllegalStateException e = assertThrows(IllegalStateException.class, Dispatchers::findProvider);
        assertTrue(e.getMessage().contains("'com.example.NoSuchProvider'"), e.getMessage());
    }

    @Test
    void classThatIsNotAProviderIsRejected() {
        System.setProperty(Dispatchers.PROPERTY, String.class.getName());
        IllegalStateException e = assertThrows(IllegalStateException.class, Dispatchers::findProvider);
        assertTrue(e.getMessage().contains("does not implement io.csp4j.spi.DispatcherProvider"), e.getMessage());
    }

    @Test
    void classWithoutNoArgConstructorIsRejectedWithTheFix() {
        System.setProperty(Dispatchers.PROPERTY, TestProviders.NoDefaultConstructor.class.getName());
        IllegalStateException e = assertThrows(IllegalStateException.class, Dispatchers::findProvider);
        assertTrue(e.getMessage().contains("public no-argument constructor"), e.getMessage());
    }

    @Test
    void noProviderAtAllNamesTheArtifactsToAdd() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Dispatchers.select(null, List.of()));
        assertEquals(Dispatchers.NONE_FOUND, e.getMessage());
        assertTrue(e.getMessage().contains("io.csp4j:csp4j-scheduler-forkjoin"));
    }

    @Test
    void blankPropertyMeansNoName() {
        assertInstanceOf(TestProviders.High.class,
                Dispatchers.select("  ", List.of(new TestProviders.High(), new TestProviders.Low())));
    }

    @Test
    void tiesOnPriorityAreBrokenByName() {
        DispatcherProvider b = provider("b", 3);
        DispatcherProvider a = provider("a", 3);
        DispatcherProvider top = provider("z", 9);
        List<DispatcherProvider> sorted = Dispatchers.ordered(List.of(b, a, top));
        assertEquals(List.of("z", "a", "b"), sorted.stream().map(DispatcherProvider::name).toList());
        assertEquals("a", Dispatchers.select(null, Dispatchers.ordered(List.of(b, a))).name());
    }

    @Test
    void lookupReadsThePropertyOnEveryCall() {
        assertEquals("high", Dispatchers.findProvider().name());
        System.setProperty(Dispatchers.PROPERTY, "low");
        assertEquals("low", Dispatchers.findProvider().name());
        System.clearProperty(Dispatchers.PROPERTY);
        assertEquals("high", Dispatchers.findProvider().name());
    }

    private static DispatcherProvider provider(String name, int priority) {
        return new DispatcherProvider() {
            @Override public String name() { return name; }
            @Override public int priority() { return priority; }
            @Override public Dispatcher create() { return new TestProviders.Inert(name); }
        };
    }
}
