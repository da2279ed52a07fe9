package io.csp4j;

/**
 * A port implemented outside the engine on top of an ordinary csp4j channel, for example a remote
 * port of {@code csp4j-cluster}, whose values pass through a local channel. {@link Csp#alts} works
 * only on channels made by csp4j; given a {@code DelegatingPort} it registers its operation on
 * {@link #delegate()} instead, and still reports the port itself as {@link AltResult#channel()}.
 *
 * <p>Contract for implementers: a take from the delegate, or a put onto it, must mean the same as
 * the port's own {@code take}/{@code put}, so that an {@code alts} that commits on the delegate has
 * done the port's operation; {@link #delegate()} returns the same channel on every call. Thread-safe
 * as the delegate is.
 *
 * {@snippet :
 * ReadPort<String> remote = ...;           // e.g. a port connected to another JVM
 * AltResult r = alts(remote, localChan);   // alts registers on remote.delegate()
 * if (r.from(remote)) System.out.println(r.value());
 * }
 */
public interface DelegatingPort {

    /** The csp4j channel that {@link Csp#alts} operates on in this port's stead; never {@code null}. */
    Channel<?, ?> delegate();
}
