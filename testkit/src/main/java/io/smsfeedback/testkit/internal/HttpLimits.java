package io.smsfeedback.testkit.internal;

import java.time.Duration;

/**
 * Bounds the server enforces on each request and connection.
 *
 * @param maxRequestLineBytes longest request line; longer is answered 414
 * @param maxHeaderBytes most bytes of all header lines together; more is answered 431
 * @param maxHeaderCount most header lines; more is answered 431
 * @param maxBodyBytes largest body; larger is answered 413
 * @param idleTimeout how long a connection may stay silent (between or inside requests)
 * @param maxConnections most connections served at once; more are answered 503 and closed
 */
public record HttpLimits(
    int maxRequestLineBytes,
    int maxHeaderBytes,
    int maxHeaderCount,
    int maxBodyBytes,
    Duration idleTimeout,
    int maxConnections) {

  /** 8 KiB request line, 16 KiB and 100 headers, 1 MiB body, 60 s idle, 1024 connections. */
  public static final HttpLimits DEFAULTS =
      new HttpLimits(8 * 1024, 16 * 1024, 100, 1024 * 1024, Duration.ofSeconds(60), 1024);
}
