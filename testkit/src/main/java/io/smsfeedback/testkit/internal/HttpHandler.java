package io.smsfeedback.testkit.internal;

import java.io.IOException;

/** Answers the requests of a {@link LoopbackHttpServer}; called concurrently, once per request. */
public interface HttpHandler {

  /**
   * Answers one request: exactly one of the exchange's answering methods, or a fault that ends
   * the connection. An exception closes the connection (with a 500 if nothing was sent yet).
   */
  void handle(HttpExchange exchange) throws IOException;

  /**
   * The JSON body of an error the server answers by itself (malformed request, sizes exceeded).
   */
  byte[] errorBody(int status, String message);
}
