import type { FileKeyStore } from '../../adapters/keystore/file-key-store.ts';
import type { SigningKeyRepository } from '../../adapters/keystore/signing-key-repository.ts';
import { buildJwks } from '../../adapters/trust/build-jwks.ts';
import { buildOfflineBundle, type RegisterSnapshotEntry } from '../../adapters/trust/build-offline-bundle.ts';
import { buildTrustList } from '../../adapters/trust/build-trust-list.ts';
import { DomainError } from '../../domain/errors.ts';
import type { CertificateRegister } from '../../domain/lifecycle/ports.ts';
import type { Clock } from '../../domain/ports.ts';
import type { Route } from '../route.ts';

export interface TrustDeps {
  signingKeys: SigningKeyRepository;
  keyStore: FileKeyStore;
  register: Pick<CertificateRegister, 'snapshot'>;
  clock: Clock;
  licenceTypeCode: string;
}

export function currentTrustList(deps: TrustDeps) {
  const root = deps.signingKeys.active('root');
  if (!root) throw new DomainError('SERVICE_UNAVAILABLE', 'The trust domain has no root CA yet');
  return buildTrustList({
    rootX509Pem: root.x509Pem,
    keys: deps.signingKeys.list('licence'),
    licenceTypeCode: deps.licenceTypeCode,
    issuedAt: deps.clock.now(),
  });
}

function registerSnapshot(register: TrustDeps['register']): RegisterSnapshotEntry[] {
  return register.snapshot().map((entry) => ({
    certificateNo: entry.certificateNo,
    status: entry.status,
    ...(entry.supersededBy ? { supersededBy: entry.supersededBy } : {}),
    ...(entry.householdRegistered ? { householdRegistered: true as const } : {}),
    licenceDigest: entry.licenceDigest,
  }));
}

export function trustRoutes(deps: TrustDeps): Route[] {
  return [
    {
      method: 'get',
      path: '/.well-known/jwks.json',
      summary: 'Every institution signing key ever trusted (kid = RFC 7638 thumbprint, with x5c)',
      tag: 'trust',
      access: 'public',
      responses: { 200: 'JWK Set' },
      handle: () => ({ status: 200, body: buildJwks(deps.signingKeys.list('licence')) }),
    },
    {
      method: 'get',
      path: '/api/v1/trust-list',
      summary: 'The root certificate and every issuing institution with all its signing certificates',
      tag: 'trust',
      access: 'public',
      responses: { 200: 'The trust list', 503: 'No root CA yet' },
      handle: () => ({ status: 200, body: currentTrustList(deps) }),
    },
    {
      method: 'get',
      path: '/api/v1/trust-bundle',
      summary: 'Offline bundle: trust list + register status snapshot, signed, with the time it is valid as of',
      tag: 'trust',
      // The snapshot lists every certificate number with its status and registration: for
      // verifying bodies, not the public.
      access: ['police', 'agency', 'admin', 'auditor'],
      responses: {
        200: 'A flattened JWS whose payload is {version, asOf, trustList, register}',
        503: 'No trust-list key',
      },
      async handle() {
        const signer = deps.signingKeys.active('trust-list');
        if (!signer) throw new DomainError('SERVICE_UNAVAILABLE', 'No trust-list signing key is provisioned');
        const bundle = await buildOfflineBundle({
          trustList: currentTrustList(deps),
          register: registerSnapshot(deps.register),
          asOf: deps.clock.now(),
          signer,
          keyStore: deps.keyStore,
        });
        return { status: 200, body: bundle, headers: { 'Cache-Control': 'no-store' } };
      },
    },
  ];
}
