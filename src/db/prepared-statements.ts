// Every statement drizzle sends through postgres.js, prepared once per connection and reused after.
//
// drizzle asks postgres.js for a prepared statement only for queries built with `.prepare(name)`; every other
// statement goes out unnamed, and postgres.js then sends each one with parameters in two round trips (Parse and
// Describe, wait for the parameter types, then Bind and Execute). Prepared, a statement the connection has seen
// before is one round trip with no parsing or planning of its text. postgres.js keeps the prepared statements of a
// connection by their text and parameter types, and drops them with the connection.
import type postgres from "postgres";

type Sql = postgres.Sql;
type Unsafe = Sql["unsafe"];

/** The client, with `unsafe` (drizzle's only way in) asking for a prepared statement, in transactions too. */
export function preparingEveryStatement<T extends Sql | postgres.TransactionSql>(client: T): T {
  return new Proxy(client, {
    get(target, property) {
      if (property === "unsafe") {
        const unsafe: Unsafe = (query, parameters, options) =>
          target.unsafe(query, parameters, { ...options, prepare: true });
        return unsafe;
      }
      if (property === "begin" || property === "savepoint") {
        return (...args: unknown[]) => {
          const body = args.at(-1) as (sql: postgres.TransactionSql) => unknown;
          const start = Reflect.get(target, property) as (...startArgs: unknown[]) => unknown;
          return start.call(target, ...args.slice(0, -1), (sql: postgres.TransactionSql) =>
            body(preparingEveryStatement(sql)),
          );
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
