import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readOidc } from '../../src/config.ts';

const citizen = {
  OIDC_CITIZEN_ISSUER: 'https://tyrz.gd.gov.cn',
  OIDC_CITIZEN_CLIENT_ID: 'elicence',
  OIDC_CITIZEN_CLIENT_SECRET: 'secret',
};

describe('OIDC configuration', () => {
  it('is off without an issuer, and the service starts as before', async () => {
    expect(await readOidc({}, 'CITIZEN', 'production')).toBeNull();
    const config = await loadConfig({ NODE_ENV: 'test', DATA_DIR: '/tmp/unused' });
    expect(config.oidcCitizen).toBeNull();
    expect(config.oidcStaff).toBeNull();
  });

  it('reads the provider, the client, the claim names and the accepted acr values', async () => {
    expect(await readOidc({ ...citizen, OIDC_CITIZEN_ACR: 'urn:a, urn:b' }, 'CITIZEN', 'production')).toEqual({
      issuer: 'https://tyrz.gd.gov.cn',
      clientId: 'elicence',
      clientSecret: 'secret',
      idNumberClaim: 'id_number',
      nameClaim: 'name',
      acceptedAcr: ['urn:a', 'urn:b'],
      scope: 'openid profile',
    });
    const staff = await readOidc(
      { OIDC_STAFF_ISSUER: 'https://idp.wsjkw.gov.cn', OIDC_STAFF_CLIENT_ID: 'c', OIDC_STAFF_CLIENT_SECRET: 's' },
      'STAFF',
      'production',
    );
    expect(staff).toMatchObject({ idNumberClaim: null, acceptedAcr: [] });
  });

  it('refuses a half configuration, an http issuer off loopback or in production, and no acr for parents in production', async () => {
    const refusal = (env: Record<string, string>, environment: 'production' | 'development' = 'development') =>
      readOidc(env, 'CITIZEN', environment).then(
        () => null,
        (error: unknown) => (error instanceof ConfigError ? error.message : String(error)),
      );
    expect(await refusal({ OIDC_CITIZEN_ISSUER: 'https://tyrz.gd.gov.cn' })).toBe(
      'OIDC_CITIZEN_ISSUER is set: OIDC_CITIZEN_CLIENT_ID and OIDC_CITIZEN_CLIENT_SECRET are required too',
    );
    expect(await refusal({ ...citizen, OIDC_CITIZEN_ISSUER: 'http://tyrz.gd.gov.cn' })).toBe(
      'OIDC_CITIZEN_ISSUER must be an https URL (http only on loopback outside production)',
    );
    expect(await refusal({ ...citizen, OIDC_CITIZEN_ISSUER: 'http://127.0.0.1:4000' })).toBeNull();
    expect(
      await refusal({ ...citizen, OIDC_CITIZEN_ISSUER: 'http://127.0.0.1:4000', OIDC_CITIZEN_ACR: 'x' }, 'production'),
    ).toBe('OIDC_CITIZEN_ISSUER must be an https URL (http only on loopback outside production)');
    expect(await refusal(citizen, 'production')).toBe(
      'OIDC_CITIZEN_ACR is required in production: the real-person authentication level to accept',
    );
    expect(await refusal({ ...citizen, OIDC_CITIZEN_ID_NUMBER_CLAIM: 'id number' })).toBe(
      'OIDC_CITIZEN_ID_NUMBER_CLAIM is not a claim name',
    );
  });
});
