/**
 * SMS one-time-token login for Spring Security: the code store, the SMS-sending generation
 * handler and the glue binding a typed code to its user. Not an API, may change in any release.
 */
@NullMarked
package io.smsfeedback.spring.internal.ott;

import org.jspecify.annotations.NullMarked;
