import { identityLinksOf, type LinkPorts, linkIdentity, unlinkIdentity } from '../../domain/accounts/identity.ts';
import { defineRoute, type Route } from '../route.ts';

const noStore = { 'Cache-Control': 'no-store' };

/**
 * Administrators link staff accounts to subjects of the health commission's identity provider;
 * a linked subject signs in to the console as that account, with its role and institution.
 */
export function identityLinkRoutes(deps: { links: LinkPorts }): Route[] {
  const ports = deps.links;
  const username = (params: Record<string, string>) => params.username ?? '';
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/accounts/:username/identity-links',
      summary: 'The identity-provider subjects linked to the account',
      tag: 'accounts',
      access: ['admin'],
      responseSchema: 'IdentityLinks',
      responses: { 200: '{links: [...]}', 404: 'Unknown account' },
      handle: ({ params }) => ({
        status: 200,
        body: { links: identityLinksOf(ports, username(params)) },
        headers: noStore,
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/accounts/:username/identity-links',
      summary: "Link the account to a subject of the health commission's identity provider (audited)",
      tag: 'accounts',
      access: ['admin'],
      body: 'identity-link',
      responseSchema: 'IdentityLink',
      responses: {
        201: 'The link',
        400: 'Invalid body',
        404: 'Unknown account',
        409: 'The subject is already linked to an account',
      },
      handle: ({ principal, params, body }) => ({
        status: 201,
        body: linkIdentity(ports, principal, username(params), body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/accounts/:username/identity-links/remove',
      summary: 'End the link: that subject no longer signs in as the account (audited)',
      tag: 'accounts',
      access: ['admin'],
      body: 'identity-link',
      responseSchema: 'IdentityUnlinked',
      responses: { 200: '{unlinked}', 400: 'Invalid body', 404: 'Unknown account or no such link' },
      handle: ({ principal, params, body }) => ({
        status: 200,
        body: unlinkIdentity(ports, principal, username(params), body),
      }),
    }),
  ];
}
