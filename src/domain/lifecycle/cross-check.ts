import type { ApplicationBody } from '../rules/bodies.ts';
import type { DeliveryRecord } from './records.ts';

/** One part of the cross-check (mother, newborn, institution): pass, or the items that disagree. */
export interface CrossCheckFinding {
  name: string;
  result: 'pass' | 'fail';
  /** The items that disagree, as data-dictionary paths. */
  items?: string[];
}

/**
 * The issuer's review: the application must describe the birth the midwife recorded — the same
 * mother (ID type and number, name), the same institution, and, where the parents stated them,
 * the same birth time and sex.
 */
export function crossCheck(
  application: ApplicationBody,
  delivery: DeliveryRecord,
  institution: string,
): CrossCheckFinding[] {
  const mismatched = (pairs: [string, unknown, unknown][]) =>
    pairs.filter(([, a, b]) => a !== undefined && a !== b).map(([path]) => path);
  // Birth times are compared as instants: 08:31+08:00 and 00:31Z are the same birth.
  const instant = (text: string | undefined) => (text === undefined ? undefined : Date.parse(text));

  const mother = mismatched([
    ['mother.idType', application.mother.idType, delivery.mother.idType],
    ['mother.idNumber', application.mother.idNumber, delivery.mother.idNumber],
    ['mother.name', application.mother.name, delivery.mother.name],
  ]);
  const stated: { sex?: string; birthTime?: string } = application.deliveryId === undefined ? {} : application.newborn;
  const newborn = mismatched([
    ['newborn.sex', stated.sex, delivery.newborn.sex],
    ['newborn.birthTime', instant(stated.birthTime), instant(delivery.newborn.birthTime)],
  ]);
  const place = delivery.institution === institution ? [] : ['deliveryInstitution'];

  const result = (name: string, items: string[]): CrossCheckFinding =>
    items.length === 0 ? { name, result: 'pass' } : { name, result: 'fail', items };
  return [result('mother', mother), result('newborn', newborn), result('institution', place)];
}

export const discrepantItems = (findings: CrossCheckFinding[]): string[] => findings.flatMap((f) => f.items ?? []);
