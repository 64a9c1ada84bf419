import { eventBy } from '../audit/audit-event.ts';
import { DomainError } from '../errors.ts';
import { applicationChangedEvent } from '../events/lifecycle-events.ts';
import type {
  ApplicationBody,
  ApplicationWithDelivery,
  CitizenApplicationBody,
  CitizenApplicationItems,
  DeliveryBody,
} from '../rules/bodies.ts';
import { type ApplicationSubmitter, enterApplication } from './applications.ts';
import { maxClaimFailures } from './claims.ts';
import { recordDelivery } from './deliveries.ts';
import type { OnlineApplicationStore } from './online-application-ports.ts';
import type { Actor, LifecyclePorts, Midwife } from './ports.ts';
import type { ApplicationRecord, DeliveryRecord } from './records.ts';

/*
 * 线上申领. The midwife's delivery record hands the parents an application code (申领码) for the
 * discharge papers; with it and the mother's ID number they apply online, follow the status, correct
 * what the issuer returns, and download the certificate once issued — all with a token scoped to
 * their one application.
 */

export type OnlinePorts = Pick<
  LifecyclePorts,
  | 'transactions'
  | 'applications'
  | 'register'
  | 'households'
  | 'institutions'
  | 'secrets'
  | 'audit'
  | 'clock'
  | 'events'
  | 'renderer'
> & { online: OnlineApplicationStore };

/**
 * Validates an application composed from the parents' items and the delivery record with the same
 * schema and rules as `POST /api/v1/applications` (the HTTP layer's validator, passed in).
 */
export type ApplicationValidator = (body: unknown) => ApplicationBody;

export const applicationTokenTtlSeconds = 30 * 60;

/** Hashed with a fixed label in place of a certificate number: the code alone finds its delivery. */
export const codeHash = (ports: Pick<LifecyclePorts, 'secrets'>, code: string) =>
  ports.secrets.hashClaimCode('application-code', code);

const citizen = { username: null, role: 'citizen', institution: null } as const;

const refused = () =>
  new DomainError('INVALID_CLAIM', "The application code or the mother's ID number is wrong", [
    { path: 'applicationCode', message: "the application code or the mother's ID number is wrong" },
  ]);

/** The midwife records the delivery; the record comes back with its application code, shown once. */
export function recordDeliveryWithCode(
  ports: OnlinePorts,
  actor: Midwife,
  body: DeliveryBody,
): DeliveryRecord & { applicationCode: string } {
  return ports.transactions.run(() => {
    const record = recordDelivery(ports, actor, body);
    const applicationCode = ports.secrets.newClaimCode();
    ports.online.setCode(record.id, codeHash(ports, applicationCode), body.mother.idNumber, ports.clock.now());
    return { ...record, applicationCode };
  });
}

/**
 * The delivery an application code opens, checked against the mother's ID number. Every way of
 * being wrong answers alike; only a guess that already knows the mother's ID number counts towards
 * the lock, so strangers cannot lock a family out.
 */
function openCode(ports: OnlinePorts, applicationCode: string, motherIdNumber: string): DeliveryRecord {
  const entry = ports.online.findCode(codeHash(ports, applicationCode));
  const ok = entry !== null && entry.failures < maxClaimFailures && entry.motherIdNumber === motherIdNumber;
  if (!ok) {
    const failures = ports.online.recordFailure(motherIdNumber);
    ports.audit.record(
      eventBy(citizen, 'citizen.application-refused', null, failures === null ? {} : { failures }),
      ports.clock.now(),
    );
    throw refused();
  }
  ports.online.resetFailures(entry.deliveryId);
  return ports.applications.findDelivery(entry.deliveryId)!;
}

/** The parents' items with the delivery record's: the application the issuer reviews. */
function compose(delivery: DeliveryRecord, items: CitizenApplicationItems): ApplicationWithDelivery {
  return {
    deliveryId: delivery.id,
    newborn: items.newborn,
    mother: delivery.mother,
    father: items.father,
    ...(items.fatherAbsentReason === undefined ? {} : { fatherAbsentReason: items.fatherAbsentReason }),
    applicant: items.applicant,
    ...(items.marriageCertNo === undefined ? {} : { marriageCertNo: items.marriageCertNo }),
    ...(items.phone === undefined ? {} : { phone: items.phone }),
  };
}

const itemsOf = ({ applicationCode: _c, motherIdNumber: _m, ...items }: CitizenApplicationBody) => items;

/** The applying parents act for the institution that recorded the birth, under no account. */
const onlineSubmitter = (institution: string): ApplicationSubmitter => ({
  institution,
  createdBy: 'online-application',
  acting: { role: 'citizen', username: 'online-application', institution },
  channel: 'online',
});

export function applyOnline(ports: OnlinePorts, validate: ApplicationValidator, body: CitizenApplicationBody) {
  const delivery = openCode(ports, body.applicationCode, body.motherIdNumber);
  return applyForDelivery(ports, validate, delivery, itemsOf(body));
}

/** The application for a delivery whose parents proved who they are (code and ID number, or the platform). */
export function applyForDelivery(
  ports: OnlinePorts,
  validate: ApplicationValidator,
  delivery: DeliveryRecord,
  items: CitizenApplicationItems,
) {
  if (ports.online.byDelivery(delivery.id)) {
    throw new DomainError(
      'INVALID_STATE',
      'An application was already made with this code; open it to see its status',
      [{ path: 'applicationCode', message: 'already used for an application' }],
    );
  }
  if (ports.applications.deliveryIssued(delivery.id)) {
    throw new DomainError('ALREADY_ISSUED', 'This birth already has its certificate', [
      { path: 'applicationCode', message: 'the birth already has its certificate' },
    ]);
  }
  const input = validate(compose(delivery, items));
  return ports.transactions.run(() => {
    const submitted = enterApplication(ports, onlineSubmitter(delivery.institution), input);
    ports.online.insert(submitted.id, delivery.id);
    const token = ports.online.issueToken(submitted.id, applicationTokenTtlSeconds, ports.clock.now());
    return {
      id: submitted.id,
      status: 'submitted' as const,
      accessToken: token.token,
      tokenType: 'Bearer',
      expiresIn: token.expiresInSeconds,
    };
  });
}

/** The parents come back later: the same code and ID number open their application again. */
export function reopenApplication(ports: OnlinePorts, body: { applicationCode: string; motherIdNumber: string }) {
  const delivery = openCode(ports, body.applicationCode, body.motherIdNumber);
  const entry = ports.online.byDelivery(delivery.id);
  if (!entry) {
    throw new DomainError('NOT_FOUND', 'No application was made with this code yet', [
      { path: 'applicationCode', message: 'no application yet: apply first' },
    ]);
  }
  const token = ports.online.issueToken(entry.applicationId, applicationTokenTtlSeconds, ports.clock.now());
  ports.audit.record(eventBy(citizen, 'citizen.application-opened', entry.applicationId), ports.clock.now());
  return { id: entry.applicationId, accessToken: token.token, tokenType: 'Bearer', expiresIn: token.expiresInSeconds };
}

/** The application a parents' token opens; a token of another application is FORBIDDEN. */
export function applicationOfToken(ports: OnlinePorts, token: string | null, applicationId: string): ApplicationRecord {
  const opened = token === null ? null : ports.online.resolveToken(token, ports.clock.now());
  if (opened === null) {
    throw new DomainError(
      'UNAUTHENTICATED',
      "This route needs the application's token: Authorization: Bearer <accessToken>",
    );
  }
  if (opened !== applicationId) throw new DomainError('FORBIDDEN', 'The token opens another application');
  return ports.applications.findApplication(applicationId)!;
}

/** The parents sign out: the application's token stops working at once, not only in their browser. */
export function signOutOfApplication(ports: OnlinePorts, token: string, applicationId: string): void {
  if (ports.online.resolveToken(token, ports.clock.now()) !== applicationId) return;
  ports.online.revokeToken(token);
  ports.audit.record(eventBy(citizen, 'citizen.application-signed-out', applicationId), ports.clock.now());
}

export interface ApplicationStatusView {
  id: string;
  status: 'submitted' | 'returned' | 'issued';
  submittedAt: string;
  newborn: { name: string };
  returnReason?: string;
  returnedAt?: string;
  certificateNo?: string;
  /** The current version when the issued certificate was replaced since. */
  currentCertificateNo?: string;
}

export function applicationStatus(ports: OnlinePorts, application: ApplicationRecord): ApplicationStatusView {
  const entry = ports.online.find(application.id);
  const base = {
    id: application.id,
    submittedAt: application.createdAt,
    newborn: { name: application.input.newborn.name },
  };
  if (application.status === 'issued' && application.certificateNo) {
    const current = currentVersion(ports, application.certificateNo);
    return {
      ...base,
      status: 'issued',
      certificateNo: application.certificateNo,
      ...(current === application.certificateNo ? {} : { currentCertificateNo: current }),
    };
  }
  if (application.status === 'returned' && entry?.returnReason) {
    return { ...base, status: 'returned', returnReason: entry.returnReason, returnedAt: entry.returnedAt! };
  }
  // An issue under way is still "submitted" to the parents.
  return { ...base, status: 'submitted' };
}

function currentVersion(ports: Pick<LifecyclePorts, 'register'>, certificateNo: string): string {
  const record = ports.register.find(certificateNo);
  if (!record) return certificateNo;
  const versions = ports.register.lineage(record.lineage);
  return versions.find((v) => v.status === 'valid')?.certificateNo ?? versions.at(-1)?.certificateNo ?? certificateNo;
}

/** The parents correct a returned application; it goes back to the issuer's queue. */
export function correctApplication(
  ports: OnlinePorts,
  validate: ApplicationValidator,
  application: ApplicationRecord,
  items: CitizenApplicationItems,
): ApplicationStatusView {
  if (application.status !== 'returned') {
    throw new DomainError(
      'INVALID_STATE',
      `The application is ${application.status}; only a returned one is corrected`,
      [{ path: 'status', message: `is ${application.status}, not returned` }],
    );
  }
  const delivery = ports.applications.findDelivery(application.deliveryId!)!;
  const input = validate(compose(delivery, items));
  const now = ports.clock.now();
  ports.transactions.run(() => {
    ports.online.resubmit(application.id, input, now);
    ports.audit.record(eventBy(citizen, 'application.resubmitted', application.id), now);
    // Back in the issuer's queue: to a subscriber it is submitted again, online.
    ports.events.append(
      applicationChangedEvent(
        'cn.birth-certificate.application.submitted',
        { ...application, input },
        delivery,
        'online',
        now,
      ),
    );
  });
  return applicationStatus(ports, ports.applications.findApplication(application.id)!);
}

/** Who downloads the certificate an application produced: a citizen scoped to that one number. */
export function downloaderOf(application: ApplicationRecord): Actor {
  if (application.status !== 'issued' || !application.certificateNo) {
    throw new DomainError('INVALID_STATE', 'The certificate is not issued yet', [
      { path: 'status', message: `is ${application.status}, not issued` },
    ]);
  }
  return {
    role: 'citizen',
    accountId: null,
    username: null,
    institution: null,
    certificateNo: application.certificateNo,
  };
}
