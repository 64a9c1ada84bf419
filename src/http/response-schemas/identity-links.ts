import { closed, instant, type Schema } from './common.ts';

const link = {
  username: { type: 'string' },
  issuer: { type: 'string', description: "The identity provider's issuer identifier" },
  subject: { type: 'string', description: 'The `sub` the provider gives the person' },
  linkedAt: instant,
  linkedBy: { type: 'string', description: 'The administrator (or cli) who made the link' },
};
const exampleLink = {
  username: 'demo-issuer-gz',
  issuer: 'https://idp.wsjkw.example.gov.cn',
  subject: '248289761001',
  linkedAt: '2026-11-29T17:19:00.000Z',
  linkedBy: 'demo-admin',
};

export const identityLinkSchemas: Record<string, Schema> = {
  IdentityLink: { ...closed(link), examples: [exampleLink] },
  IdentityLinks: {
    ...closed({ links: { type: 'array', items: closed(link) } }),
    examples: [{ links: [exampleLink] }],
  },
  IdentityUnlinked: { ...closed({ unlinked: { const: true } }), examples: [{ unlinked: true }] },
};
