import { createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { startTestService, type TestService } from '../http/harness.ts';
import {
  citizenClient,
  realPersonAcr,
  staffClient,
  startTestProvider,
  type TestProvider,
} from '../http/oidc-test-provider.ts';

/**
 * The service and a real OpenID provider (oidc-provider) on loopback, wired to each other as a
 * deployment configures them: the parents' platform (real-person `acr` required) and the health
 * commission's provider for staff. The service's port is chosen first, since the provider must
 * know the redirect URI before the service starts.
 */
export async function startServiceWithProvider(
  env: Record<string, string> = {},
): Promise<{ svc: TestService; idp: TestProvider }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const idp = await startTestProvider(`${base}/oidc/callback`);
  const svc = await startTestService({
    env: {
      PORT: String(port),
      PUBLIC_BASE_URL: base,
      RATE_LIMIT_PER_MINUTE: '100000',
      OIDC_CITIZEN_ISSUER: idp.issuer,
      OIDC_CITIZEN_CLIENT_ID: citizenClient.id,
      OIDC_CITIZEN_CLIENT_SECRET: citizenClient.secret,
      OIDC_CITIZEN_ACR: realPersonAcr,
      OIDC_STAFF_ISSUER: idp.issuer,
      OIDC_STAFF_CLIENT_ID: staffClient.id,
      OIDC_STAFF_CLIENT_SECRET: staffClient.secret,
      ...env,
    },
  });
  return { svc, idp };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** At the provider's page: the person signs in there and is sent back. */
export async function atProvider(page: Page, idp: TestProvider, login: string) {
  await page.waitForURL((url) => url.href.startsWith(`${idp.issuer}/interaction/`));
  await page.getByLabel('账户').fill(login);
  await page.getByRole('button', { name: '认证并返回' }).click();
}

/** Fills the parents' items by field name, as a person would type and choose them. */
export async function fillItems(page: Page, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) {
    const field = page.locator(`[name="${name}"]`);
    const kind = await field.evaluate((el) =>
      el.tagName === 'SELECT' ? 'select' : (el as unknown as { type: string }).type,
    );
    if (kind === 'select') await field.selectOption(value);
    else if (kind === 'checkbox') await field.check();
    else await field.fill(value);
  }
}
