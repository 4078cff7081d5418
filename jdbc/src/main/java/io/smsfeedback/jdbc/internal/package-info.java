/** The JDBC store's implementation; not an API, may change in any release. */
@NullMarked
package io.smsfeedback.jdbc.internal;

import org.jspecify.annotations.NullMarked;
