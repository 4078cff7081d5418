package io.smsfeedback.internal.tracker;

import io.smsfeedback.store.TrackingStore;
import io.smsfeedback.store.TrackingStoreContract;

class InMemoryTrackingStoreTest extends TrackingStoreContract {

  @Override
  protected TrackingStore newStore() {
    return TrackingStore.inMemory();
  }
}
