package io.smsfeedback.servlet;

/**
 * A snapshot of a {@link SmsFeedbackFilter}'s counters, for metrics and health.
 *
 * @param requests requests the filter looked at (not counting pass-throughs: re-dispatches, a
 *     second instance, a disabled filter)
 * @param sends umids written to the session (each counted at most once, also when concurrent
 *     requests on one session both see it; a umid that a concurrent request superseded before its
 *     own request told the tracker counts only under {@code superseded})
 * @param superseded umids replaced in the session by a newer one (reported as failure), each
 *     counted once
 * @param successes verdicts "right code" handed to the tracker
 * @param wrongCodes verdicts "wrong code" handed to the tracker
 * @param noVerdicts verification requests with a pending umid whose result could not be read (5xx,
 *     a 4xx that is not a failure status, unknown status, an exception from the app without an
 *     explicit verdict, an async timeout or error)
 * @param ignoredValues session values that appeared and were not understood (other types, non-UUID
 *     or oversized strings)
 * @param internalErrors exceptions from the filter's own logic (caught; the response is unchanged)
 */
public record FilterStats(
    long requests,
    long sends,
    long superseded,
    long successes,
    long wrongCodes,
    long noVerdicts,
    long ignoredValues,
    long internalErrors) {}
