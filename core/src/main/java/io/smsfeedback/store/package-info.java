/**
 * The conversion tracker's storage SPI: {@link io.smsfeedback.store.TrackingStore} and the row it
 * holds per umid, {@link io.smsfeedback.store.TrackedOtp}. The in-memory default is {@link
 * io.smsfeedback.store.TrackingStore#inMemory()}; a durable, cluster-safe store implements the same
 * interface and proves it with the contract test kit {@code io.smsfeedback.store.TrackingStoreContract}
 * in {@code sms-feedback-core}'s test-jar.
 */
@NullMarked
package io.smsfeedback.store;

import org.jspecify.annotations.NullMarked;
