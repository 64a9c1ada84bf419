import type { FieldErrors } from './components.tsx';

/** Details whose messages are already the page's Chinese, by field (errorsByField translates the API's English). */
export function messagesByField(details: readonly { path: string; message: string }[]): FieldErrors {
  const byField = new Map<string, string[]>();
  for (const d of details) byField.set(d.path, [...(byField.get(d.path) ?? []), d.message]);
  return byField;
}
