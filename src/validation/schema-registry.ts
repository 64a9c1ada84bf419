import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import application from '../../schemas/application.schema.json' with { type: 'json' };
import applicationReturn from '../../schemas/application-return.schema.json' with { type: 'json' };
import appointment from '../../schemas/appointment.schema.json' with { type: 'json' };
import authToken from '../../schemas/auth-token.schema.json' with { type: 'json' };
import certificate from '../../schemas/certificate.schema.json' with { type: 'json' };
import certificateRevocation from '../../schemas/certificate-revocation.schema.json' with { type: 'json' };
import citizenApplication from '../../schemas/citizen-application.schema.json' with { type: 'json' };
import citizenApplicationCorrection from '../../schemas/citizen-application-correction.schema.json' with {
  type: 'json',
};
import citizenApplicationSession from '../../schemas/citizen-application-session.schema.json' with { type: 'json' };
import citizenClaim from '../../schemas/citizen-claim.schema.json' with { type: 'json' };
import collectionSlot from '../../schemas/collection-slot.schema.json' with { type: 'json' };
import delivery from '../../schemas/delivery.schema.json' with { type: 'json' };
import elicencePayload from '../../schemas/elicence-payload.schema.json' with { type: 'json' };
import householdRegistration from '../../schemas/household-registration.schema.json' with { type: 'json' };
import identityLink from '../../schemas/identity-link.schema.json' with { type: 'json' };
import keyRevocation from '../../schemas/key-revocation.schema.json' with { type: 'json' };
import licenceEnvelope from '../../schemas/licence-envelope.schema.json' with { type: 'json' };
import numberRange from '../../schemas/number-range.schema.json' with { type: 'json' };
import passwordReset from '../../schemas/password-reset.schema.json' with { type: 'json' };
import policeArchive from '../../schemas/police-archive.schema.json' with { type: 'json' };
import policeUnit from '../../schemas/police-unit.schema.json' with { type: 'json' };
import reissue from '../../schemas/reissue.schema.json' with { type: 'json' };
import replacement from '../../schemas/replacement.schema.json' with { type: 'json' };
import subscription from '../../schemas/subscription.schema.json' with { type: 'json' };
import verification from '../../schemas/verification.schema.json' with { type: 'json' };
import voidSchema from '../../schemas/void.schema.json' with { type: 'json' };
import type { SchemaId } from '../domain/rules/bodies.ts';

/** Every schema of schemas/, by the id callers use. The JSON files are the single source. */
export const SCHEMAS: Readonly<Record<SchemaId, { $id: string; examples: unknown[] }>> = {
  certificate,
  'licence-envelope': licenceEnvelope,
  'elicence-payload': elicencePayload,
  'auth-token': authToken,
  delivery,
  application,
  replacement,
  reissue,
  void: voidSchema,
  'household-registration': householdRegistration,
  'citizen-claim': citizenClaim,
  verification,
  'number-range': numberRange,
  'key-revocation': keyRevocation,
  'certificate-revocation': certificateRevocation,
  'password-reset': passwordReset,
  subscription,
  'citizen-application': citizenApplication,
  'citizen-application-correction': citizenApplicationCorrection,
  'citizen-application-session': citizenApplicationSession,
  'application-return': applicationReturn,
  'police-archive': policeArchive,
  'collection-slot': collectionSlot,
  appointment,
  'identity-link': identityLink,
  'police-unit': policeUnit,
};

export const SCHEMA_IDS = Object.keys(SCHEMAS) as SchemaId[];

export const isSchemaId = (id: string): id is SchemaId => Object.hasOwn(SCHEMAS, id);

// ajv-formats is CommonJS: under NodeNext the default import is `module.exports`, whose `default` is the plugin.
const addFormats = addFormatsModule.default;

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    // Strict: a typo in a schema keyword fails at start-up instead of silently accepting anything.
    strict: true,
    // Union types are how the schemas say "object or string" (signedJson) without oneOf noise.
    allowUnionTypes: true,
    // One detail per bad field, not just the first.
    allErrors: true,
    // The API takes JSON as sent: "33" is not an age, and no default is invented for the caller.
    coerceTypes: false,
    useDefaults: false,
    // Error objects carry their schema, which the detail mapper reads (oneOf alternatives, nullables).
    verbose: true,
    // lengthCm is a multiple of 0.1; binary floating point needs a tolerance to say so.
    multipleOfPrecision: 9,
  });
  addFormats(ajv, ['date']);
  ajv.addSchema(Object.values(SCHEMAS));
  return ajv;
}

let compiled: Map<SchemaId, ValidateFunction> | undefined;

/** Compiles every schema once, on first use, so a broken schema fails the first validation loudly. */
export function schemaValidator(schemaId: SchemaId): ValidateFunction {
  if (!compiled) {
    const ajv = createAjv();
    compiled = new Map(SCHEMA_IDS.map((id) => [id, ajv.getSchema(SCHEMAS[id].$id)!]));
  }
  return compiled.get(schemaId)!;
}
