/**
 * Not API: the simulator's own HTTP/1.1 server and JSON reader. May change in any release.
 *
 * <p>The server is hand-written on {@link java.net.ServerSocket} so that every fault the
 * simulator scripts (no answer, a close or a reset mid-response, a wrong {@code Content-Length})
 * really happens on the wire.
 */
package io.smsfeedback.testkit.internal;
