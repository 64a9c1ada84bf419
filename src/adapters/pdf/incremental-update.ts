import { PDFArray, PDFDocument, PDFName, PDFNumber, type PDFObject, PDFRef } from 'pdf-lib';

const latin1 = (text: string) => Buffer.from(text, 'latin1');

/** Offset of the file's last cross-reference section (`startxref`). */
function lastXrefOffset(pdf: Uint8Array): number {
  const tail = Buffer.from(pdf.subarray(Math.max(0, pdf.length - 1024))).toString('latin1');
  const found = [...tail.matchAll(/startxref\s+(\d+)\s+%%EOF/g)].at(-1);
  if (!found) throw new TypeError('The PDF has no startxref');
  return Number(found[1]);
}

/**
 * Appends an incremental update (ISO 32000-1 §7.5.6): the bytes before stay exactly as they
 * were, so the signatures over them keep holding. `edit` changes the loaded document and returns
 * the references of every object it created or changed; only those are written, with a classic
 * cross-reference section whose /Prev points at the previous one.
 */
export async function appendIncrementalUpdate(
  pdf: Uint8Array,
  edit: (doc: PDFDocument) => PDFRef[] | Promise<PDFRef[]>,
): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const changed = [...new Set(await edit(doc))].sort((a, b) => a.objectNumber - b.objectNumber);
  const parts: Uint8Array[] = [pdf, latin1('\n')];
  let offset = pdf.length + 1;
  const offsets = new Map<number, number>();
  for (const ref of changed) {
    const object = doc.context.lookup(ref) as PDFObject;
    const body = new Uint8Array(object.sizeInBytes());
    object.copyBytesInto(body, 0);
    const head = latin1(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
    const tail = latin1('\nendobj\n');
    offsets.set(ref.objectNumber, offset);
    parts.push(head, body, tail);
    offset += head.length + body.length + tail.length;
  }
  const xrefOffset = offset;
  let xref = 'xref\n';
  for (const ref of changed) {
    xref += `${ref.objectNumber} 1\n${String(offsets.get(ref.objectNumber)).padStart(10, '0')} ${String(ref.generationNumber).padStart(5, '0')} n\r\n`;
  }
  const info = doc.context.trailerInfo;
  const trailer = doc.context.obj({});
  trailer.set(PDFName.of('Size'), PDFNumber.of(doc.context.largestObjectNumber + 1));
  if (info.Root) trailer.set(PDFName.of('Root'), info.Root);
  if (info.Info) trailer.set(PDFName.of('Info'), info.Info);
  if (info.ID instanceof PDFArray) trailer.set(PDFName.of('ID'), info.ID);
  trailer.set(PDFName.of('Prev'), PDFNumber.of(lastXrefOffset(pdf)));
  parts.push(latin1(`${xref}trailer\n${trailer.toString()}\nstartxref\n${xrefOffset}\n%%EOF\n`));
  return new Uint8Array(Buffer.concat(parts));
}

export { PDFRef };
