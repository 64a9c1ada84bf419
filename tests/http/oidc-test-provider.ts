import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person at the test provider: what it vouches for when they sign in. */
export interface TestPerson {
  idNumber?: string;
  name?: string;
  /** The `acr` of their authentication; absent: none. */
  acr?: string;
}

export const realPersonAcr = 'urn:gov:real-person:face';
export const passwordAcr = 'urn:gov:password';

export const citizenClient = { id: 'elicence-citizen', secret: 'citizen-client-secret-for-tests-only' };
export const staffClient = { id: 'elicence-staff', secret: 'staff-client-secret-for-tests-only' };

export interface TestProvider {
  issuer: string;
  /** Sign-in names → what the provider says of them; tests add people as they need. */
  people: Map<string, TestPerson>;
  /** While set, the token endpoint's ID token reaches the relying party with a broken signature. */
  tamperIdToken: boolean;
  close(): Promise<void>;
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

/** Flips one character in the middle of the ID token's signature (same length, wrong bytes). */
function breakSignature(body: string): string {
  const json = JSON.parse(body) as { id_token?: string };
  if (!json.id_token) return body;
  const [header, payload, signature = ''] = json.id_token.split('.');
  const at = Math.floor(signature.length / 2);
  const flipped = signature[at] === 'A' ? 'B' : 'A';
  json.id_token = `${header}.${payload}.${signature.slice(0, at)}${flipped}${signature.slice(at + 1)}`;
  return JSON.stringify(json);
}

const page = (uid: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>测试身份认证平台</title></head>
<body><main><h1>测试身份认证平台</h1>
<form method="post" action="/interaction/${uid}">
<label for="login">账户</label> <input id="login" name="login" autocomplete="off">
<button type="submit">认证并返回</button>
</form></main></body></html>`;

/**
 * A real OpenID provider (`oidc-provider`) on loopback for the tests: two confidential clients
 * (parents' and staff's) redirecting to `redirectUri`, PKCE required, and a sign-in page where the
 * tester types a name from `people`; that person's ID number, name and `acr` are what the ID
 * token and userinfo carry.
 */
export async function startTestProvider(redirectUri: string): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const people = new Map<string, TestPerson>();
  const client = (id: string, secret: string) => ({
    client_id: id,
    client_secret: secret,
    id_token_signed_response_alg: 'ES256' as const,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code' as const],
    token_endpoint_auth_method: 'client_secret_post' as const,
  });
  // A signing key of its own for this run: the relying party checks ID tokens against its JWKS.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-idp-es256', alg: 'ES256', use: 'sig' };
  const provider = new Provider(issuer, {
    jwks: { keys: [signingKey as never] },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    clients: [client(citizenClient.id, citizenClient.secret), client(staffClient.id, staffClient.secret)],
    pkce: { required: () => true },
    acrValues: [realPersonAcr, passwordAcr],
    claims: { openid: ['sub'], profile: ['name', 'id_number'] },
    cookies: { keys: ['oidc-test-provider-cookie-key'] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const person = people.get(sub);
      if (!person) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          ...(person.name === undefined ? {} : { name: person.name }),
          ...(person.idNumber === undefined ? {} : { id_number: person.idNumber }),
        }),
      };
    },
    // First-party clients: the grant is given with the sign-in, no consent screen.
    async loadExistingGrant(ctx) {
      const existing = ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid profile');
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();
  const state: TestProvider = {
    issuer,
    people,
    tamperIdToken: false,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    const interaction = /^\/interaction\/([\w-]+)$/.exec(url.pathname);
    try {
      if (interaction && req.method === 'GET') {
        await provider.interactionDetails(req, res);
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page(interaction[1]!));
        return;
      }
      if (interaction && req.method === 'POST') {
        await provider.interactionDetails(req, res);
        const login = (await readForm(req)).get('login') ?? '';
        const person = people.get(login);
        const result = person
          ? { login: { accountId: login, ...(person.acr === undefined ? {} : { acr: person.acr }) } }
          : { error: 'access_denied', error_description: 'unknown person' };
        await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
        return;
      }
      if (state.tamperIdToken && url.pathname === '/token') {
        const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
        (res as { end: unknown }).end = (chunk?: unknown, ...rest: unknown[]) =>
          end(chunk === undefined ? chunk : breakSignature(Buffer.from(chunk as Buffer).toString('utf8')), ...rest);
      }
      callback(req, res);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  return state;
}
