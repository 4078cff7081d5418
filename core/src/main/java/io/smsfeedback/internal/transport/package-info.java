/** The default {@link io.smsfeedback.FeedbackTransport} on Apache HttpClient 5 async, and its helpers. */
@NullMarked
package io.smsfeedback.internal.transport;

import org.jspecify.annotations.NullMarked;
