/** The SMS sender's implementation details; not an API, may change in any release. */
@NullMarked
package io.smsfeedback.internal.sms;

import org.jspecify.annotations.NullMarked;
