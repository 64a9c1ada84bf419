import type { ErrorDetail } from '../errors.ts';
import { itemName } from '../item-names.ts';

/** Joins a prefix and a relative path in dot notation (`changes` + `mother.age`). */
export const joinPath = (prefix: string, path: string): string =>
  prefix && path ? `${prefix}.${path}` : prefix || path;

/**
 * One error detail whose message names the field (Chinese item and path) and what is wrong.
 * Problems must never quote the submitted value: values may be ID numbers.
 */
export function fieldDetail(path: string, problems: readonly string[], schemaId?: string): ErrorDetail {
  const item = itemName(path, schemaId);
  const subject = path === '' ? 'The request body' : item ? `${item} (${path})` : path;
  const message = `${subject} ${problems.join('; ')}`;
  return item ? { path, item, message } : { path, message };
}

/** Collects problems while rules run and reports one detail per field, in the order fields were first found. */
export class Findings {
  private readonly byPath = new Map<string, string[]>();
  constructor(private readonly schemaId?: string) {}

  add(path: string, problem: string): void {
    const problems = this.byPath.get(path);
    if (!problems) this.byPath.set(path, [problem]);
    else if (!problems.includes(problem)) problems.push(problem);
  }

  get size(): number {
    return this.byPath.size;
  }

  get details(): ErrorDetail[] {
    return [...this.byPath].map(([path, problems]) => fieldDetail(path, problems, this.schemaId));
  }
}
