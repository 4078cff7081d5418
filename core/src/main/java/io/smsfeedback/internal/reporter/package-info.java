/**
 * The default {@link io.smsfeedback.FeedbackReporter}, in parts: {@code DefaultFeedbackReporter}
 * (the API, its executor and wake-ups), {@code Intake} (reports, duplicates), {@code Dispatcher}
 * (the coordinator and its lock), {@code DeliverySchedule} (order, pause, wake-up timer), {@code
 * Attempts} (in flight), {@code RetryPolicy} (when, and for how long) and {@code Outcomes}
 * (counters, events, logs). Each class comment states which lock guards its fields.
 */
@NullMarked
package io.smsfeedback.internal.reporter;

import org.jspecify.annotations.NullMarked;
