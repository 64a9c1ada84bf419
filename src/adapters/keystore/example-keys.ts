/**
 * Keys whose private half is public knowledge: the layout example in keys.example/ and the
 * known-answer test vectors' fixture keys in tests/vectors/keys/. Anyone can sign with them, so
 * the key store refuses them in production. Listed by RFC 7638 thumbprint, which cannot be
 * removed from a key the way a marker in its file could.
 */
export const EXAMPLE_KEY_KIDS: ReadonlySet<string> = new Set<string>([]);

/** The passphrase the example files are encrypted with; never acceptable in production. */
export const EXAMPLE_PASSPHRASE = 'example-only';

export const isExampleKey = (kid: string): boolean => EXAMPLE_KEY_KIDS.has(kid);
