package io.smsfeedback.jdbc.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;

/**
 * A view of a connection whose statements carry a JDBC query timeout: every {@code
 * prepareStatement} and {@code createStatement} sets it on the statement it returns. Everything
 * else goes to the connection as is.
 */
final class QueryTimeout {

  private QueryTimeout() {}

  static Connection on(Connection connection, int seconds) {
    return (Connection)
        Proxy.newProxyInstance(
            QueryTimeout.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              Object result = invoke(connection, method, args);
              if (result instanceof Statement statement
                  && (method.getName().equals("prepareStatement")
                      || method.getName().equals("createStatement"))) {
                statement.setQueryTimeout(seconds);
              }
              return result;
            });
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
