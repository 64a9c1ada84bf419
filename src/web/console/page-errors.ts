import { consoleT as t } from '../console-messages.ts';
import type { FieldErrors } from './components.tsx';

/** The summary above a form whose fields are marked: how many fields (one with two messages is one). */
export const fieldsAlert = (errors: FieldErrors): string => t('console.form.errors', { n: errors.size });

/** Details whose messages are already the page's Chinese, by field (errorsByField translates the API's English). */
export function messagesByField(details: readonly { path: string; message: string }[]): FieldErrors {
  const byField = new Map<string, string[]>();
  for (const d of details) byField.set(d.path, [...(byField.get(d.path) ?? []), d.message]);
  return byField;
}
