import type { Clock } from '../ports.ts';
import { type CertificateRegister, STATUS_UNAVAILABLE } from '../verification/ports.ts';
import type { OpenedStatusList } from './status-list-token.ts';
import { statusOfValue, statusValueAt } from './status-values.ts';

/**
 * Offline status: the entry of the list the credential names, as of `asOf` (the bundle's time).
 * A list the verifier does not hold, one past its `exp` at verification time, or an index past
 * its end gives no status. Lists carry no certificate numbers, so nothing is looked up by number,
 * and a superseding certificate or household registration is not known offline.
 */
export function statusListRegister(
  lists: readonly OpenedStatusList[],
  asOf: string,
  clock: Clock,
): CertificateRegister {
  const byUri = new Map(lists.map((list) => [list.uri, list]));
  return {
    lookup(_certificateNo, reference) {
      const list = reference && byUri.get(reference.uri);
      if (!list || clock.now().getTime() >= list.expiresAt * 1000) return STATUS_UNAVAILABLE;
      const value = statusValueAt(list.bits, reference.idx);
      if (value === null) return STATUS_UNAVAILABLE;
      return { status: statusOfValue(value), supersededBy: null, householdRegistered: false, asOf };
    },
  };
}
