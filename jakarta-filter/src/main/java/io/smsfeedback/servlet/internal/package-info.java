/** Implementation details of the servlet adapter; not an API, may change in any release. */
@NullMarked
package io.smsfeedback.servlet.internal;

import org.jspecify.annotations.NullMarked;
