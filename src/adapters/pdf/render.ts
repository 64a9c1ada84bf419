import { PDFDocument, type PDFPage } from 'pdf-lib';
import './native-deflate.ts';
import type { KeyStore, SigningKey } from '../../domain/ports.ts';
import { attachCertificateFiles } from './attachment.ts';
import type { CertificateView } from './certificate-view.ts';
import { placeFixedLayers } from './fixed-layers.ts';
import type { FontSet } from './fonts.ts';
import {
  drawCertificate,
  drawCertificatePage,
  drawCertificateQr,
  PAGE_SIZE,
  type PageInput,
  variableTexts,
} from './layout.ts';
import { addPdfA3Structure } from './pdfa.ts';
import { type PadesServices, saveSigned } from './sign-pdf.ts';
import { TextWriter } from './text.ts';

export interface RenderCertificateInput {
  view: CertificateView;
  /** The QR text exactly as a scanner reads it (a compact JWS). */
  qrText: string;
  /** The e-licence identifier `1.2.156.3005.2.…`, printed under the QR code. */
  licenceId: string;
  /** The signed e-licence exactly as served (`signed.json`); embedded as elicence.json. */
  signedJson: string;
  signingKey: SigningKey;
  keyStore: KeyStore;
  fonts: FontSet;
  /** The signing instant (the e-licence's): the PDF signature's time and the document's dates. */
  now: Date;
  /** The timestamp authority and validation data for PAdES B-T … B-LTA; absent: B-B. */
  pades?: PadesServices | null;
}

/**
 * The page: the fixed layers made once per process (fixed-layers.ts), the variable text laid out
 * and subset here, painted in the order the whole page is drawn in; then the QR symbol.
 */
export async function drawCertificateLayers(doc: PDFDocument, page: PDFPage, input: PageInput & { fonts: FontSet }) {
  const layers = await placeFixedLayers(doc, page, input.fonts);
  const writer = await TextWriter.create(doc, page, input.fonts, variableTexts(input));
  layers.paintBackground();
  drawCertificatePage({ fixed: null, variable: writer, sealMark: () => layers.paintSealMark() }, input);
  drawCertificateQr(doc, page, input.qrText);
}

/**
 * The page as PDFs issued before the fixed layers drew it: every part on the page itself, with
 * one font subset. It looks the same pixel for pixel; the offline page check still needs it to
 * recognise those PDFs, whose page objects it compares.
 */
export async function drawCertificateWhole(doc: PDFDocument, page: PDFPage, input: PageInput & { fonts: FontSet }) {
  drawCertificate(doc, page, await TextWriter.create(doc, page, input.fonts, variableTexts(input)), input);
}

export type PageLayout = typeof drawCertificateLayers;

/** Every page layout certificates were issued with, the current one first. */
export const PAGE_LAYOUTS: readonly PageLayout[] = [drawCertificateLayers, drawCertificateWhole];

/** Lays out the page and attaches the files, without signing: the PDF before its signature. */
export async function buildCertificateDocument(
  input: PageInput & { signedJson: string; fonts: FontSet; now: Date },
  layout: PageLayout = drawCertificateLayers,
): Promise<PDFDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage(PAGE_SIZE);
  await layout(doc, page, input);
  await attachCertificateFiles(doc, input.signedJson, input.qrText, input.now);
  // Metadata carries the numbers only: names and ID numbers stay on the page and in the JSON.
  addPdfA3Structure(doc, {
    title: `出生医学证明 ${input.view.certificateNo}`,
    subject: '出生医学证明电子证照 Birth Certificate e-licence',
    creatorTool: 'birth-certificate-elicence',
    producer: 'birth-certificate-elicence',
    licenceId: input.licenceId,
    now: input.now,
  });
  return doc;
}

/** The signed certificate PDF: page, embedded e-licence and QR text, PDF signature. */
export async function renderCertificatePdf(input: RenderCertificateInput): Promise<Uint8Array> {
  const doc = await buildCertificateDocument(input);
  return saveSigned(doc, {
    keyStore: input.keyStore,
    signingKey: input.signingKey,
    signingTime: input.now,
    reason: `Birth certificate ${input.view.certificateNo} issued`,
    location: input.signingKey.institutionCreditCode,
    pades: input.pades ?? null,
  });
}

/**
 * Renders (unsigned) one certificate so that font tables, glyph outlines and the layout code are
 * loaded and compiled before the first request: the first PDF in a process costs 0.2–0.4 s.
 */
export async function warmUpFonts(fonts: FontSet): Promise<void> {
  // 𠮷 (Ext-B) loads the fallback face's tables too, when one is installed.
  const name = fonts.faceFor(0x20bb7) ? '预热𠮷' : '预热';
  const view: CertificateView = {
    certificateNo: 'A000000000',
    newborn: {
      name,
      sex: '男',
      birthTime: '2000-01-01T00:00+08:00',
      gestation: { weeks: 40, days: 0 },
      weightGrams: 3000,
      lengthCm: 50,
      health: '良好',
    },
    birthPlace: { province: '北京市', city: '市辖区', county: '东城区' },
    birthPlaceCategory: '医院',
    deliveryInstitution: null,
    mother: {
      name: '预热',
      age: 30,
      nationality: '中国',
      ethnicity: '汉族',
      address: '0123456789',
      idType: '居民身份证',
      idNumber: '11010519491231002X',
    },
    father: null,
    issueDate: '2000-01-01',
    issuer: { name: '预热' },
  };
  const doc = await buildCertificateDocument({
    view,
    qrText: 'warm-up',
    licenceId: '1.2.156.3005.2',
    signedJson: '{}',
    fonts,
    now: new Date(0),
  });
  await doc.save();
}
