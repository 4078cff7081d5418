package io.smsfeedback.internal.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The cold-start gate over {@code https}: until an exchange has found out whether the server
 * speaks HTTP/2 (by ALPN, on the first connection), further exchanges wait for it instead of each
 * opening a TLS connection of its own. Then they all go: over HTTP/2 they share that connection
 * (the pool multiplexes), over HTTP/1.1 the pool opens what they need, as without the gate. It
 * costs the first round trip once per cold start; it saves, at a ceiling of 512, up to 511 TLS
 * handshakes against a server that would have multiplexed them. It closes again when a new
 * connection must negotiate anew: when the pool is empty (every connection idle-evicted), and when
 * an exchange on a lane that speaks HTTP/2 finds no open connection (it was dropped, or the server
 * closed it): that exchange opens the new one, the others wait for it ({@link #reprobe}). Without
 * that, every request in flight on a dropped connection, and every one sent right after, opened a
 * TLS connection of its own (504 measured, against 6).
 *
 * <p>Lock discipline: {@code probing} and {@code held} are guarded by this object; {@code open} is
 * volatile so that the open path (every exchange once warm) takes no lock. Held exchanges are
 * started outside the lock.
 */
final class NegotiationGate {

  /** What {@link #admit} decided. */
  enum Admission {
    /** Start now. */
    GO,
    /** Start now, and call {@link #answered()} when this exchange ends, whatever its result. */
    PROBE,
    /** Held: the start given to {@link #admit} runs when the probe ended. */
    HELD
  }

  private volatile boolean open;
  /** Plain {@code http}: no gate, ever. */
  private final boolean none;
  private boolean probing;
  private List<Held> held = new ArrayList<>();

  private record Held(LongConsumer start, long since) {}

  /** {@code open}: no gate at all (plain {@code http}, which is HTTP/1.1 only). */
  NegotiationGate(boolean open) {
    this.open = open;
    this.none = open;
  }

  boolean isOpen() {
    return open;
  }

  /**
   * Admits an exchange. If held, {@code start} runs later with the milliseconds it waited (or
   * with -1 from {@link #releaseAll} at close).
   */
  synchronized Admission admit(LongConsumer start) {
    if (open) {
      return Admission.GO;
    }
    if (!probing) {
      probing = true;
      return Admission.PROBE;
    }
    held.add(new Held(start, System.nanoTime()));
    return Admission.HELD;
  }

  /**
   * Admits a started exchange that found no open connection on a lane that speaks HTTP/2: the first
   * becomes the probe (the gate closes behind it), the others are held like new ones.
   */
  synchronized Admission reprobe(LongConsumer start) {
    if (none) {
      return Admission.GO;
    }
    open = false;
    return admit(start);
  }

  /** The probe ended: the protocol is known (or the server unreachable); everyone goes. */
  void answered() {
    List<Held> go;
    synchronized (this) {
      open = true;
      probing = false;
      go = held;
      held = new ArrayList<>();
    }
    long now = System.nanoTime();
    for (Held h : go) {
      h.start().accept((now - h.since()) / 1_000_000);
    }
  }

  /**
   * The pool is empty: the next exchange negotiates again, the others wait for it. No effect
   * while a probe is out.
   */
  synchronized void renegotiate() {
    if (open && !none && !probing && held.isEmpty()) {
      open = false;
    }
  }

  /** At close: hands every held start -1 (to complete as closed). */
  void releaseAll() {
    List<Held> go;
    synchronized (this) {
      go = held;
      held = new ArrayList<>();
    }
    for (Held h : go) {
      h.start().accept(-1);
    }
  }
}
