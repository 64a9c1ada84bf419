/** The event types agencies subscribe to (CloudEvents `type`); docs/events.md describes each. */
export const eventTypes = [
  'cn.birth-certificate.issued',
  'cn.birth-certificate.replaced',
  'cn.birth-certificate.reissued',
  'cn.birth-certificate.voided',
  'cn.birth-certificate.revoked',
  'cn.birth-certificate.household-registered',
  'cn.birth-certificate.application.submitted',
  'cn.birth-certificate.application.returned',
] as const;
export type EventType = (typeof eventTypes)[number];

export const isEventType = (value: unknown): value is EventType => eventTypes.includes(value as EventType);
