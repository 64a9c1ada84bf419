/**
 * The fixed parts of the certificate page — frame, table rules and fills, labels and captions,
 * the verification hint, the seal's ring, star and purpose — laid out once per FontSet and kept
 * as two form XObjects with their own font subset (tag …LABEL), content compressed once. Each
 * PDF copies the finished objects in (no layout, no subsetting, no compression of them again)
 * and paints them where the whole page used to draw them: the background first, the seal mark
 * after the issuer's name and date. What a reader sees is unchanged; only the variable text is
 * laid out and subset per certificate.
 */
import {
  drawObject,
  PDFArray,
  PDFContentStream,
  PDFDocument,
  PDFName,
  PDFObjectCopier,
  type PDFPage,
  type PDFRef,
} from 'pdf-lib';
import type { CertificateView } from './certificate-view.ts';
import type { FontSet } from './fonts.ts';
import { drawCertificatePage, PAGE_SIZE, type PageInput } from './layout.ts';
import { drawSealMark } from './seal.ts';
import { TextWriter } from './text.ts';

/** Page resource names of the two fixed layers. */
export const FIXED_BACKGROUND_XOBJECT = 'CertificateForm';
export const SEAL_MARK_XOBJECT = 'SealMark';

interface FixedLayers {
  /** The document the layers were made in: the source every PDF copies them from. */
  source: PDFDocument;
  background: PDFRef;
  sealMark: PDFRef;
}

/**
 * Values for the layout pass that draws only the fixed parts: none of them is drawn (that pass
 * has no variable writer), they only let the same page description run.
 */
const LAYOUT_ONLY: PageInput = {
  view: {
    certificateNo: 'A000000000',
    newborn: {
      name: '-',
      sex: '-',
      birthTime: '2000-01-01T00:00+08:00',
      gestation: { weeks: 40, days: 0 },
      weightGrams: 0,
      lengthCm: 0,
      health: '-',
    },
    birthPlace: { province: '-', city: '-', county: '-' },
    birthPlaceCategory: '-',
    deliveryInstitution: null,
    mother: {
      name: '-',
      age: 0,
      nationality: '-',
      ethnicity: null,
      address: '-',
      idType: '-',
      idNumber: '-',
    },
    father: null,
    issueDate: '2000-01-01',
    issuer: { name: '-' },
  } satisfies CertificateView,
  qrText: '-',
  licenceId: '-',
};

/** The page's content streams as one form XObject over the whole page, with the page's resources. */
function pageAsForm(doc: PDFDocument, page: PDFPage): PDFRef {
  const contents = page.node.Contents();
  const refs = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
  const parts: Uint8Array[] = [];
  for (const ref of refs) {
    const stream = doc.context.lookup(ref);
    if (!(stream instanceof PDFContentStream)) throw new TypeError('unexpected page content');
    parts.push(stream.getUnencodedContents(), new Uint8Array([0x0a]));
  }
  const form = doc.context.flateStream(Buffer.concat(parts), {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, ...PAGE_SIZE],
    Resources: page.node.Resources(),
  });
  return doc.context.register(form);
}

async function buildFixedLayers(fonts: FontSet): Promise<FixedLayers> {
  const source = await PDFDocument.create({ updateMetadata: false });
  const backgroundPage = source.addPage(PAGE_SIZE);
  const sealPage = source.addPage(PAGE_SIZE);
  const fixed = await TextWriter.create(source, backgroundPage, fonts, [], 'LABEL');
  const seal = fixed.forPage(sealPage);
  drawCertificatePage(
    { fixed, variable: null, sealMark: (cx, cy, radius) => drawSealMark(seal, cx, cy, radius) },
    LAYOUT_ONLY,
  );
  // Embeds the font subset (now complete) as finished objects.
  await source.flush();
  return {
    source,
    background: pageAsForm(source, backgroundPage),
    sealMark: pageAsForm(source, sealPage),
  };
}

const built = new WeakMap<FontSet, Promise<FixedLayers>>();

function fixedLayersFor(fonts: FontSet): Promise<FixedLayers> {
  let layers = built.get(fonts);
  if (!layers) {
    layers = buildFixedLayers(fonts);
    layers.catch(() => built.delete(fonts));
    built.set(fonts, layers);
  }
  return layers;
}

/** Copies the fixed layers into `doc` as page resources; returns the painters of each. */
export async function placeFixedLayers(
  doc: PDFDocument,
  page: PDFPage,
  fonts: FontSet,
): Promise<{ paintBackground(): void; paintSealMark(): void }> {
  const layers = await fixedLayersFor(fonts);
  // One copier for both: their shared font subset is copied once.
  const copier = PDFObjectCopier.for(layers.source.context, doc.context);
  page.node.setXObject(PDFName.of(FIXED_BACKGROUND_XOBJECT), copier.copy(layers.background));
  page.node.setXObject(PDFName.of(SEAL_MARK_XOBJECT), copier.copy(layers.sealMark));
  return {
    paintBackground: () => page.pushOperators(drawObject(FIXED_BACKGROUND_XOBJECT)),
    paintSealMark: () => page.pushOperators(drawObject(SEAL_MARK_XOBJECT)),
  };
}
