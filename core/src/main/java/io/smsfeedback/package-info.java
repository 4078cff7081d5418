/**
 * Public API of sms-feedback: the model ({@link io.smsfeedback.SentOtp}, {@link io.smsfeedback.Feedback},
 * {@link io.smsfeedback.Outcome}), the settings, the reporter and the conversion tracker.
 */
@NullMarked
package io.smsfeedback;

import org.jspecify.annotations.NullMarked;
