/** What the issuing benchmarks share: applications made through the API, and main-thread profiles. */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import {
  applicationBodyFor,
  deliveryBodyFor,
  type FixtureRecord,
  isInstitutionalBirth,
} from '../tests/fixtures/records.ts';
import type { TestService } from '../tests/http/harness.ts';

/**
 * The application for `record` as a hospital makes it: its delivery first when it is an
 * institutional birth (the midwife), then the application (the issuer). Returns the application's id.
 */
export async function submitApplication(
  svc: TestService,
  record: FixtureRecord,
  tokens: { midwife: string; issuer: string },
): Promise<string> {
  let body = applicationBodyFor(record);
  if (isInstitutionalBirth(record)) {
    const delivery = await svc.request('POST', '/api/v1/deliveries', {
      token: tokens.midwife,
      json: deliveryBodyFor(record),
    });
    if (delivery.status !== 201) throw new Error(`delivery refused: ${JSON.stringify(delivery.body)}`);
    body = applicationBodyFor(record, delivery.body.id);
  }
  const application = await svc.request('POST', '/api/v1/applications', { token: tokens.issuer, json: body });
  if (application.status !== 201) throw new Error(`application refused: ${JSON.stringify(application.body)}`);
  return application.body.id;
}

/** A CPU profile of this thread, from now until `stopInto(file)` writes it. */
export async function startProfile(): Promise<{ stopInto(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stopInto(file) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
