import { accountSchemas } from './accounts.ts';
import { appointmentSchemas } from './appointments.ts';
import { auditSchemas } from './audit.ts';
import { certificateSchemas } from './certificates.ts';
import { base64url, errorSchema, flattenedJws, ref, type Schema } from './common.ts';
import { eventSchemas } from './events.ts';
import { exportSchemas } from './exports.ts';
import { identityLinkSchemas } from './identity-links.ts';
import { onlineApplicationSchemas } from './online-applications.ts';
import { policeArchiveSchemas } from './police-archives.ts';
import { reportSchemas } from './reports.ts';
import { systemSchemas } from './system.ts';
import { trustSchemas } from './trust.ts';
import { verificationSchemas } from './verification.ts';

/** The documented response bodies, by component name: routes name theirs in `responseSchema`. */
export const RESPONSE_SCHEMAS: Readonly<Record<string, Schema>> = {
  Error: errorSchema,
  SignedELicence: {
    ...flattenedJws,
    description: `${flattenedJws.description}; the payload is the UTF-8 JSON of elicence-payload`,
    properties: {
      ...(flattenedJws.properties as Schema),
      payload: { ...base64url, contentMediaType: 'application/json', contentSchema: ref('elicence-payload') },
    },
  },
  ...systemSchemas,
  ...accountSchemas,
  ...certificateSchemas,
  ...verificationSchemas,
  ...trustSchemas,
  ...reportSchemas,
  ...auditSchemas,
  ...eventSchemas,
  ...exportSchemas,
  ...onlineApplicationSchemas,
  ...policeArchiveSchemas,
  ...appointmentSchemas,
  ...identityLinkSchemas,
};
