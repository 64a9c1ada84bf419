/** Object identifiers and DER helpers shared by the CMS signer and the inspector. */
export { CMS_OID as OID, p1363ToDer } from '../pki/cms-signed-data.ts';
