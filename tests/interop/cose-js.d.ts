/** cose-js and cbor (its CBOR library) ship no types; the interop tests use these calls only. */
declare module 'cose-js' {
  const cose: {
    sign: {
      verify(message: Buffer, verifier: { key: { x: Buffer; y: Buffer; kid?: string } }): Promise<Buffer>;
    };
  };
  export default cose;
}
declare module 'cbor' {
  const cbor: { decodeFirstSync(input: Uint8Array): unknown };
  export default cbor;
}
