package io.smsfeedback.internal.sms;

import org.jspecify.annotations.Nullable;

/** 8x8's answer to one send: status, {@code Retry-After} and the body (bounded, UTF-8). */
record Answer(int status, @Nullable String retryAfter, String body) {}
