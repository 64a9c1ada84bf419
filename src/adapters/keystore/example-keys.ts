/**
 * Keys whose private half is public knowledge: the layout example in keys.example/ and the
 * known-answer test vectors' fixture keys in tests/vectors/keys/. Anyone can sign with them, so
 * the key store refuses them in production. Listed by RFC 7638 thumbprint, which cannot be
 * removed from a key the way a marker in its file could.
 */
export const EXAMPLE_KEY_KIDS: ReadonlySet<string> = new Set<string>([
  // keys.example/ (passphrase "example-only"): the example root and institution key.
  'R_JFDFv14j9vIJ-TBiSQ4pCMMkwrSuWu20zjFchpguk',
  '4c1hiS7Ea_2o3ttgN6BT2go8PDGlqL2_4r8pGj-aZ68',
  // tests/vectors/keys/ (passphrase "test-vectors-only"): the known-answer vectors' domain.
  'I3WshAoHz-L6TxLRbvxntNAjE1Bl2SCxdk1SGhjJ-eg', // root
  'NrycvhmctvEZknZ41znRqgcqDDvPpKIqJStdw2fIsYE', // trustList
  'OFYdpLoETOjjRDL-oP1znpN-lto3JVJEwHBRWU42dxc', // aOld
  'H6YFnDgwANJ-1e-qqygyutZ88sfAGWhwGwz939-icXs', // a
  'jzzyoop0dHXmGXbcfsHk5N4qzsLeG1ogH0PiLBG7Amg', // b
  'RJAfU_Vj7JclpWcZqHkw-5RQVBORdM8VTwMqxUyGPVo', // stray
  'n6ouOPppwV4W5iM2fIhrryxojDejo5GzAl2_7ijc8KU', // otherRoot
  'PJCt0Ig5taoNBnZw2Fz8rfP9Dj7sLcp3XVFDO1kjYxY', // impostor
]);

/** The passphrase the example files are encrypted with; never acceptable in production. */
export const EXAMPLE_PASSPHRASE = 'example-only';

export const isExampleKey = (kid: string): boolean => EXAMPLE_KEY_KIDS.has(kid);
