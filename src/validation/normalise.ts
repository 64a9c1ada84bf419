/**
 * NFC-normalises every string of an already schema-valid body. We normalise instead of rejecting:
 * input methods, OCR and copy-paste routinely produce decomposed forms of the same name, and the
 * family should not be refused for an invisible difference. Normalising before storage means one
 * name has one byte sequence in the register, the signed e-licence and the PDF.
 * Object.fromEntries defines own properties, so no key can reach a prototype.
 */
export function normaliseStrings<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (Array.isArray(value)) return value.map((item) => normaliseStrings(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normaliseStrings(item)])) as T;
  }
  return value;
}
