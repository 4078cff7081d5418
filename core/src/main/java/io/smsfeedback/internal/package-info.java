/** Implementation details; not an API, may change in any release. */
@NullMarked
package io.smsfeedback.internal;

import org.jspecify.annotations.NullMarked;
