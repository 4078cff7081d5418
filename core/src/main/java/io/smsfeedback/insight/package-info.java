/**
 * Conversion insight (preview): the app's own view of its OTP conversion per destination country,
 * fed by the {@link io.smsfeedback.ConversionTracker}'s decided outcomes.
 */
@NullMarked
package io.smsfeedback.insight;

import org.jspecify.annotations.NullMarked;
