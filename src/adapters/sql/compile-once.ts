import type { CompiledQuery } from 'kysely';
import { compiled, type Query, type Sql } from './sql.ts';

/**
 * A query built and compiled once and run many times with new values, as a prepared statement
 * is. Building and compiling with Kysely costs more than running a small statement on SQLite
 * (a rate-limit hit ran at half its speed, a session read at a third: bench/bench-stateless.ts),
 * which counts on the paths every request takes. Kysely has no placeholders, so `build` is given
 * a marker per value; each parameter of the compiled query that is a marker is filled by name on
 * each run, the others stay as built. A marker must reach the query as a parameter (a value
 * compared or inserted), never be computed with or made a literal: that is refused here.
 */
export function compileOnce<A extends Record<string, unknown>, R>(
  sql: Sql,
  build: (value: <K extends keyof A & string>(name: K) => A[K]) => Query<R>,
): (args: A) => CompiledQuery<R> {
  const markers = new Map<string, keyof A & string>();
  const value = <K extends keyof A & string>(name: K): A[K] => {
    const marker = `\u0000compile-once:${markers.size}:${name}\u0000`;
    markers.set(marker, name);
    return marker as A[K];
  };
  const template = compiled(build(value), sql.db);
  const slots = template.parameters.map((parameter) =>
    typeof parameter === 'string' ? markers.get(parameter) : undefined,
  );
  const placed = new Set(template.parameters.filter((parameter) => markers.has(parameter as string)));
  if (placed.size !== markers.size || template.sql.includes('\u0000compile-once:')) {
    throw new Error(`a value of this query is not one of its parameters: ${template.sql}`);
  }
  return (args) => ({
    ...template,
    parameters: template.parameters.map((parameter, i) => {
      const name = slots[i];
      return name === undefined ? parameter : args[name];
    }),
  });
}
