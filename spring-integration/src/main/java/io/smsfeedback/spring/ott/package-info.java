/**
 * Spring Security one-time-token login by SMS: define a {@link
 * io.smsfeedback.spring.ott.SmsPhoneNumbers} bean and the starter sends the codes through 8x8 and
 * reports their conversion.
 */
@NullMarked
package io.smsfeedback.spring.ott;

import org.jspecify.annotations.NullMarked;
