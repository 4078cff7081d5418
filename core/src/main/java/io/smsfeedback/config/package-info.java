/**
 * Reading {@code sms.feedback.*} string properties, the same way in every module: {@link
 * io.smsfeedback.config.PropertyReader} (blank means absent; whole numbers, booleans, durations,
 * named values; messages that name the property and quote the value, never the API key's) and
 * the duration syntax {@link io.smsfeedback.config.Durations}.
 */
@NullMarked
package io.smsfeedback.config;

import org.jspecify.annotations.NullMarked;
