import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PDFArray, type PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';

/**
 * The sRGB IEC 61966-2.1 profile shipped by pdfkit (its PDF/A support uses the same file); read
 * once. The package's `exports` hide the data folder, so the path is taken from its entry point.
 */
let srgbProfile: Uint8Array | null = null;
function srgbIccProfile(): Uint8Array {
  if (!srgbProfile) {
    const entry = createRequire(import.meta.url).resolve('pdfkit');
    srgbProfile = new Uint8Array(readFileSync(path.join(path.dirname(entry), 'data', 'sRGB_IEC61966_2_1.icc')));
  }
  return srgbProfile;
}

export interface PdfA3Description {
  title: string;
  subject: string;
  creatorTool: string;
  producer: string;
  /** The e-licence identifier (`1.2.156.3005.2.…`): dc:identifier. */
  licenceId: string;
  /** Creation and modification time, as in the Info dictionary. */
  now: Date;
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** XMP dates in UTC with whole seconds, as pdf-lib writes the Info dictionary's (D:…Z). */
const xmpDate = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;

function xmpPacket(d: PdfA3Description): string {
  const date = xmpDate(d.now);
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(d.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(d.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:identifier>${escapeXml(d.licenceId)}</dc:identifier>
   <dc:language><rdf:Bag><rdf:li>zh-CN</rdf:li></rdf:Bag></dc:language>
   <xmp:CreatorTool>${escapeXml(d.creatorTool)}</xmp:CreatorTool>
   <xmp:CreateDate>${date}</xmp:CreateDate>
   <xmp:ModifyDate>${date}</xmp:ModifyDate>
   <xmp:MetadataDate>${date}</xmp:MetadataDate>
   <pdf:Producer>${escapeXml(d.producer)}</pdf:Producer>
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

/**
 * The document-level structure PDF/A-3b asks for (ISO 19005-3): XMP metadata matching the Info
 * dictionary, a document /ID, an sRGB output intent, the language, and the embedded files as
 * associated files (pdf-lib already lists them in the catalog's /AF). Nothing here is drawn, so
 * the page stays as it was. No validator is available here; tests check the structure only.
 */
export function addPdfA3Structure(doc: PDFDocument, d: PdfA3Description): void {
  const { context, catalog } = doc;
  doc.setTitle(d.title);
  doc.setSubject(d.subject);
  doc.setCreator(d.creatorTool);
  doc.setProducer(d.producer);
  doc.setCreationDate(d.now);
  doc.setModificationDate(d.now);
  // Uncompressed, so that tools reading XMP by scanning the file find it.
  const metadata = context.stream(new TextEncoder().encode(xmpPacket(d)), { Type: 'Metadata', Subtype: 'XML' });
  catalog.set(PDFName.of('Metadata'), context.register(metadata));
  const profile = context.register(context.flateStream(srgbIccProfile(), { N: 3 }));
  const intent = context.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    RegistryName: PDFString.of('http://www.color.org'),
    DestOutputProfile: profile,
  });
  catalog.set(PDFName.of('OutputIntents'), context.obj([intent]));
  catalog.set(PDFName.of('Lang'), PDFString.of('zh-CN'));
  // The first /ID names the document for life; both halves equal as it is first written.
  const id = createHash('sha256').update(`${d.licenceId}\n${d.now.toISOString()}`).digest('hex').slice(0, 32);
  const ids = PDFArray.withContext(context);
  ids.push(PDFHexString.of(id));
  ids.push(PDFHexString.of(id));
  context.trailerInfo.ID = ids;
}
