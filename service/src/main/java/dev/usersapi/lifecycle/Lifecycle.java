package dev.usersapi.lifecycle;

import java.util.concurrent.atomic.AtomicReference;

/** Where the service is in its life; readiness and startup health follow it. */
public final class Lifecycle {
    public enum State {
        STARTING,
        READY,
        DRAINING,
        STOPPED
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);

    public State state() {
        return state.get();
    }

    public void ready() {
        state.compareAndSet(State.STARTING, State.READY);
    }

    /** Starts the drain: true if this call started it (a second SIGTERM must not restart it). */
    public boolean startDraining() {
        State previous = state.getAndUpdate(s -> s == State.STOPPED ? s : State.DRAINING);
        return previous == State.STARTING || previous == State.READY;
    }

    public void stopped() {
        state.set(State.STOPPED);
    }

    public boolean isDraining() {
        State s = state.get();
        return s == State.DRAINING || s == State.STOPPED;
    }
}
