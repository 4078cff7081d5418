/**
 * A durable, cluster-safe {@link io.smsfeedback.store.TrackingStore} on JDBC (PostgreSQL, H2) that
 * is also a {@link io.smsfeedback.store.DeliveryOutbox}: {@link
 * io.smsfeedback.jdbc.JdbcTrackingStore}.
 */
@NullMarked
package io.smsfeedback.jdbc;

import org.jspecify.annotations.NullMarked;
