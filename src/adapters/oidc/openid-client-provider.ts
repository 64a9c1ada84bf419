import * as client from 'openid-client';
import {
  type FlowSecrets,
  type IdentityProvider,
  IdentityProviderError,
  type VerifiedIdentity,
} from '../../domain/accounts/identity.ts';

export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the provider sends the browser back: PUBLIC_BASE_URL + /oidc/callback. */
  redirectUri: string;
  scope: string;
  /** Claim names of the person's ID number and name (may be absent for staff). */
  idNumberClaim: string | null;
  nameClaim: string | null;
  /** `acr_values` asked for (the answer's `acr` is still checked by the domain). */
  acrValues: readonly string[];
  /** http:// issuers on loopback, for tests and development only (config refuses it in production). */
  allowHttp: boolean;
}

const stringClaim = (claims: Record<string, unknown> | undefined, name: string | null): string | null => {
  if (!claims || name === null) return null;
  const value = claims[name];
  return typeof value === 'string' && value !== '' ? value : null;
};

/** A network-level failure (provider down, refused, timed out) rather than a bad answer. */
function unreachable(error: unknown): boolean {
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) return true;
  const cause = (error as { cause?: { code?: string } } | null)?.cause;
  return typeof cause?.code === 'string' && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|UND_ERR)/.test(cause.code);
}

/**
 * A relying party over `openid-client` (v6): authorization code flow with PKCE (S256), state and
 * nonce; the ID token's signature (non-repudiation checks on, which the library leaves off by
 * default for token-endpoint responses), issuer, audience, expiry and nonce are checked by it.
 * The provider's metadata is discovered on first use and kept; a failed discovery is tried again
 * at the next sign-in.
 */
export function createOpenIdClientProvider(settings: OidcClientSettings): IdentityProvider {
  let discovered: Promise<client.Configuration> | null = null;
  const configuration = () => {
    discovered ??= client
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        client.ClientSecretPost(settings.clientSecret),
        {
          // The ID token's JWS signature is checked against the provider's JWKS even though it came
          // straight from the token endpoint: a token altered on the way is refused, not trusted.
          execute: settings.allowHttp
            ? [client.allowInsecureRequests, client.enableNonRepudiationChecks]
            : [client.enableNonRepudiationChecks],
        },
      )
      .catch((error: unknown) => {
        discovered = null;
        throw new IdentityProviderError('unavailable', `discovery failed: ${(error as Error).message}`);
      });
    return discovered;
  };

  return {
    issuer: settings.issuer,
    async begin() {
      const config = await configuration();
      const secrets: FlowSecrets = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
      };
      const parameters: Record<string, string> = {
        redirect_uri: settings.redirectUri,
        scope: settings.scope,
        state: secrets.state,
        nonce: secrets.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(secrets.codeVerifier),
        code_challenge_method: 'S256',
      };
      if (settings.acrValues.length > 0) parameters.acr_values = settings.acrValues.join(' ');
      return { url: client.buildAuthorizationUrl(config, parameters).href, secrets };
    },
    async finish(callbackUrl, secrets): Promise<VerifiedIdentity> {
      const config = await configuration();
      try {
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: secrets.codeVerifier,
          expectedState: secrets.state,
          expectedNonce: secrets.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        if (!claims) throw new IdentityProviderError('invalid-response', 'no ID token');
        let idNumber = stringClaim(claims, settings.idNumberClaim);
        let name = stringClaim(claims, settings.nameClaim);
        // Providers that keep person claims out of the ID token answer them at userinfo.
        if ((settings.idNumberClaim !== null && idNumber === null) || (settings.nameClaim !== null && name === null)) {
          const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
          idNumber ??= stringClaim(info, settings.idNumberClaim);
          name ??= stringClaim(info, settings.nameClaim);
        }
        return {
          issuer: claims.iss,
          subject: claims.sub,
          acr: typeof claims.acr === 'string' ? claims.acr : null,
          idNumber,
          name,
        };
      } catch (error) {
        if (error instanceof IdentityProviderError) throw error;
        if (error instanceof client.AuthorizationResponseError) {
          throw new IdentityProviderError('denied', `the provider answered ${error.error}`);
        }
        if (unreachable(error)) throw new IdentityProviderError('unavailable', 'the provider could not be reached');
        throw new IdentityProviderError('invalid-response', (error as Error)?.message ?? 'invalid answer');
      }
    },
  };
}
