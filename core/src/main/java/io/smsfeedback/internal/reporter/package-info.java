/** The default {@link io.smsfeedback.FeedbackReporter}: queue, dispatcher, retries, accounting. */
@NullMarked
package io.smsfeedback.internal.reporter;

import org.jspecify.annotations.NullMarked;
