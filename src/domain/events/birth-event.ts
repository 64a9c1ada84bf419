import type { CertificateRecord } from '../lifecycle/records.ts';
import type { EventType } from './event-types.ts';

/*
 * The events other agencies act on after a birth (出生一件事), as CloudEvents 1.0. Thin by
 * design: what happened to which certificate, where and by whom it was issued, and the e-licence
 * it concerns — never a name or an ID number. A subscriber that needs the record reads it through
 * the purpose-bound API with its own account, which the audit log then shows.
 */

export { type EventType, eventTypes, isEventType } from './event-types.ts';

/** A CloudEvents 1.0 event in the JSON format, with this service's extension attributes. */
export interface CloudEvent {
  specversion: '1.0';
  type: EventType;
  /** Unique per event; also the `webhook-id` of every delivery of it, so receivers deduplicate by it. */
  id: string;
  /** `/institutions/{creditCode}`: the issuing institution, the context in which `id` is unique. */
  source: string;
  /** The certificate number (an application's id for application events). */
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  /** Unified social credit code of the issuing institution. */
  institutioncode: string;
  /** GB/T 2260 code of the birth place's county-level division. */
  divisioncode: string;
  /** The e-licence identifier and version; absent on application events (no e-licence yet). */
  licenceid?: string;
  licenceversion?: number;
  data: Record<string, string | number | boolean | null>;
}

/**
 * One event as a use case appends it: the CloudEvent plus what the outbox orders and routes by.
 * `orderingKey` is the birth (the licence serial shared by every version of one certificate, or
 * the application): each subscriber receives one key's events in the order they happened.
 */
export interface BirthEvent {
  /** The CloudEvent but its `id`, which the outbox assigns as it appends it. */
  event: Omit<CloudEvent, 'id'>;
  orderingKey: string;
}

/**
 * The outbox: a use case appends its event inside the same unit of work as the change it reports,
 * so an event exists exactly when its change does. Nothing is sent from inside a request: the
 * dispatcher delivers committed events afterwards.
 */
export interface EventOutbox {
  /** Appends the event, giving it its id; returns the id. */
  append(event: BirthEvent): string;
}

const sourceOf = (institution: string) => `/institutions/${institution}`;

/** An event about a certificate of the register. */
export function certificateEvent(
  at: Date,
  type: Exclude<EventType, `${string}.application.${string}`>,
  record: Pick<CertificateRecord, 'certificateNo' | 'licenceId' | 'version' | 'institution' | 'lineage'> & {
    certificate: Pick<CertificateRecord['certificate'], 'birthPlace'>;
  },
  data: CloudEvent['data'] = {},
): BirthEvent {
  return {
    orderingKey: `L:${record.lineage}`,
    event: {
      specversion: '1.0',
      type,
      source: sourceOf(record.institution),
      subject: record.certificateNo,
      time: at.toISOString(),
      datacontenttype: 'application/json',
      institutioncode: record.institution,
      divisioncode: record.certificate.birthPlace.divisionCode,
      licenceid: record.licenceId,
      licenceversion: record.version,
      data: { certificateNo: record.certificateNo, ...data },
    },
  };
}

/** An event about an application (walk-in or online) before a certificate exists. */
export function applicationEvent(
  at: Date,
  type: Extract<EventType, `${string}.application.${string}`>,
  application: { id: string; institution: string; divisionCode: string; channel: 'walk-in' | 'online' },
): BirthEvent {
  return {
    orderingKey: `A:${application.id}`,
    event: {
      specversion: '1.0',
      type,
      source: sourceOf(application.institution),
      subject: application.id,
      time: at.toISOString(),
      datacontenttype: 'application/json',
      institutioncode: application.institution,
      divisioncode: application.divisionCode,
      data: { applicationId: application.id, channel: application.channel },
    },
  };
}

/**
 * Whether an event's division lies in one a subscription names: GB/T 2260 codes nest, so a
 * province (`440000`) covers its cities and counties and a city (`440100`) its counties.
 */
export function divisionCovers(subscribed: string, divisionCode: string): boolean {
  if (subscribed.endsWith('0000')) return divisionCode.startsWith(subscribed.slice(0, 2));
  if (subscribed.endsWith('00')) return divisionCode.startsWith(subscribed.slice(0, 4));
  return divisionCode === subscribed;
}
