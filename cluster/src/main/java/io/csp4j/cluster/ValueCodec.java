package io.csp4j.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Set;

/**
 * How the values of one remote port travel: Vert.x's built-in codecs, Vert.x's JSON mapping for
 * records and POJOs, or a user {@link MessageCodec}. Java serialization is never used, so a remote
 * node cannot make this one deserialize arbitrary classes. Immutable and thread-safe.
 *
 * <ul>
 *   <li>{@link #of(Class)}: a Vert.x built-in type: {@code String}, {@code Buffer},
 *       {@code JsonObject}, {@code JsonArray}, {@code byte[]}, boxed primitives.</li>
 *   <li>{@link #builtIn()}: any value of those types, checked per value (a port of {@code Object}).</li>
 *   <li>{@link #json(Class)}: a record or POJO sent as a {@code JsonObject} through
 *       {@code JsonObject.mapFrom} / {@code mapTo}; needs {@code com.fasterxml.jackson.core:jackson-databind}
 *       on the class path of both nodes.</li>
 *   <li>{@link #codec(Class, MessageCodec)}: a user codec, registered on the event bus under its
 *       {@code name()} when a port or export first uses it; both nodes must use one with that name.</li>
 * </ul>
 * A value the codec cannot carry fails {@code put}/{@code offer}/{@code putAsync} of the remote port
 * with {@link IllegalArgumentException} naming the fix; a value that fails to decode on the receiving
 * node is counted lost and reported (see {@link RemoteLinkException}).
 *
 * {@snippet :
 * record Order(String id, int qty) {}
 * ValueCodec<Order> orders = ValueCodec.json(Order.class);
 * ValueCodec<String> lines = ValueCodec.of(String.class);
 * }
 *
 * @param <T> the type of the values
 */
public final class ValueCodec<T> {

    /** The types Vert.x's event bus carries with its own codecs. */
    static final Set<Class<?>> BUILT_IN = Set.of(String.class, Buffer.class, JsonObject.class, JsonArray.class,
            byte[].class, Integer.class, Long.class, Short.class, Byte.class, Boolean.class, Double.class,
            Float.class, Character.class);

    /** What a codec does with a value: its kind, one constant each. */
    private enum Kind {
        /** The value itself is the message body (one built-in type). */
        BUILT_IN_TYPE,
        /** Any built-in type, checked per value. */
        ANY_BUILT_IN,
        /** Vert.x JSON mapping: the body is a JsonObject. */
        JSON,
        /** The user's MessageCodec, named in the delivery options. */
        USER
    }

    private final Kind kind;
    private final Class<T> type;
    private final MessageCodec<T, T> userCodec;

    private ValueCodec(Kind kind, Class<T> type, MessageCodec<T, T> userCodec) {
        this.kind = kind;
        this.type = type;
        this.userCodec = userCodec;
    }

    /**
     * Values of one Vert.x built-in type, sent as they are.
     *
     * @throws IllegalArgumentException if {@code type} is not a built-in type (the message names
     *     {@link #json} and {@link #codec} instead)
     * @throws NullPointerException if {@code type} is null
     */
    public static <T> ValueCodec<T> of(Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (!BUILT_IN.contains(type)) {
            throw new IllegalArgumentException(noCodec(type));
        }
        return new ValueCodec<>(Kind.BUILT_IN_TYPE, type, null);
    }

    /** Any value of a Vert.x built-in type; other values fail the put. */
    public static ValueCodec<Object> builtIn() {
        return new ValueCodec<>(Kind.ANY_BUILT_IN, Object.class, null);
    }

    /**
     * Records and POJOs through Vert.x's JSON mapping ({@code JsonObject.mapFrom}/{@code mapTo}), which
     * needs jackson-databind on the class path.
     *
     * @throws NullPointerException if {@code type} is null
     */
    public static <T> ValueCodec<T> json(Class<T> type) {
        return new ValueCodec<>(Kind.JSON, Objects.requireNonNull(type, "type"), null);
    }

    /**
     * Values of {@code type} through the user's codec. Its {@code transform} is used when both ends
     * are on one node; its wire form otherwise.
     *
     * @throws NullPointerException if an argument is null
     */
    public static <T> ValueCodec<T> codec(Class<T> type, MessageCodec<T, T> codec) {
        return new ValueCodec<>(Kind.USER, Objects.requireNonNull(type, "type"), Objects.requireNonNull(codec, "codec"));
    }

    /** The type of the values (Object for {@link #builtIn()}). */
    public Class<T> type() {
        return type;
    }

    /** Throws if this codec cannot carry {@code value}: the check a remote put does before anything. */
    void check(Object value, String address) {
        Objects.requireNonNull(value, "Can't put null on a channel");
        boolean ok = kind == Kind.ANY_BUILT_IN ? isBuiltIn(value.getClass()) : type.isInstance(value);
        if (!ok) {
            throw new IllegalArgumentException("remote channel '" + address + "': " + noCodec(value.getClass())
                    + (kind == Kind.ANY_BUILT_IN ? "" : " (this port carries " + type.getName() + ")"));
        }
    }

    /** The message body for {@code value}. */
    Object encode(T value) {
        if (kind == Kind.JSON) {
            try {
                return JsonObject.mapFrom(value);
            } catch (NoClassDefFoundError | IllegalStateException | UnsupportedOperationException e) {
                throw new IllegalStateException("Vert.x JSON mapping of " + type.getName()
                        + " failed: it needs com.fasterxml.jackson.core:jackson-databind on the class path (" + e + ")", e);
            }
        }
        return value;
    }

    /** The value of a received message body. */
    T decode(Object body) {
        if (body == null) {
            throw new IllegalArgumentException("an empty message where a value was expected");
        }
        if (kind == Kind.JSON) {
            if (!(body instanceof JsonObject json)) {
                throw new IllegalArgumentException("expected a JsonObject for " + type.getName() + ", got "
                        + body.getClass().getName());
            }
            return json.mapTo(type);
        }
        if (kind == Kind.ANY_BUILT_IN ? !isBuiltIn(body.getClass()) : !type.isInstance(body)) {
            throw new IllegalArgumentException("expected " + type.getName() + ", got " + body.getClass().getName());
        }
        return type.cast(body);
    }

    /** The codec name for the delivery options, or null for Vert.x's own codec of the body. */
    String codecName() {
        return userCodec == null ? null : userCodec.name();
    }

    /** Registers a user codec on {@code bus} unless a codec of that name already is. */
    void register(EventBus bus) {
        if (userCodec == null) {
            return;
        }
        try {
            bus.registerCodec(userCodec);
        } catch (IllegalStateException alreadyRegistered) {
            // Registered before (by another port with the same codec): nothing to do.
        }
    }

    /** Whether Vert.x carries values of {@code c} with a built-in codec (Buffer is an interface). */
    static boolean isBuiltIn(Class<?> c) {
        for (Class<?> t : BUILT_IN) {
            if (t.isAssignableFrom(c)) {
                return true;
            }
        }
        return false;
    }

    private static String noCodec(Class<?> c) {
        return "no codec for " + c.getName() + ": use a Vert.x built-in type (String, Buffer, JsonObject, JsonArray,"
                + " byte[], boxed primitives), ValueCodec.json(" + c.getSimpleName() + ".class) for a record or POJO,"
                + " or ValueCodec.codec(" + c.getSimpleName() + ".class, messageCodec); Java serialization is never used";
    }

    @Override
    public String toString() {
        return "ValueCodec[" + kind + " " + type.getName() + "]";
    }
}
