import { type PDFDocument, type PDFPage, popGraphicsState, pushGraphicsState, setCharacterSpacing } from 'pdf-lib';
import { birthTimeText, dateText, gestationText } from '../../domain/codes/display-text.ts';
import { type CertificateView, formatLength, type ParentView } from './certificate-view.ts';
import {
  CAPTION_INK,
  COL,
  drawGroup,
  drawLabel,
  drawWideRow,
  LABEL_INK,
  LEFT,
  LINE,
  NUMBER_INK,
  PAD,
  type PagePass,
  RIGHT,
  row,
} from './form-table.ts';
import { drawQrCode } from './qr-drawing.ts';
import { drawSealName, drawSealPurpose, drawSealRing } from './seal.ts';
import { INK, type TextWriter } from './text.ts';

/** A4 portrait in points, as the paper certificate since the 5th edition. */
export const PAGE_SIZE: [number, number] = [595.28, 841.89];
/** 140 pt ≈ 49 mm: above API.md's 45 mm, and what zbar reads from a 150 dpi render at version 13. */
export const QR_WIDTH_PT = 140;

export const NOT_PROVIDED = '未提供';
/** Printed for items that do not apply (a foreigner's ethnicity, no midwifery institution). */
export const NOT_APPLICABLE = '/';
export type { PagePass };

export const VERIFY_HINT = '扫描二维码或访问核验服务核验本证照真伪';
const VERIFY_HINT_EN = 'Scan the QR code or use the verification service to check that this certificate is genuine.';

export interface PageInput {
  view: CertificateView;
  qrText: string;
  licenceId: string;
}

/** Every string of variable content the page prints: the fonts these need are embedded. */
export function variableTexts(input: PageInput): string[] {
  const { view } = input;
  const parents = [view.mother, ...(view.father ? [view.father] : [])];
  return [
    view.certificateNo,
    view.newborn.name,
    view.newborn.sex,
    view.newborn.health,
    ...Object.values(view.birthPlace),
    view.birthPlaceCategory,
    view.deliveryInstitution ?? '',
    view.issuer.name,
    input.licenceId,
    ...parents.flatMap((p) => [p.name, p.nationality, p.ethnicity ?? '', p.address, p.idType, p.idNumber]),
  ];
}

/** Lower-left corner of the QR symbol; the quiet zone around it is kept clear. */
export const QR_ORIGIN = { x: 58, y: 112 } as const;

/** The whole front page on one writer (every part, in paint order), then the QR symbol. */
export function drawCertificate(doc: PDFDocument, page: PDFPage, writer: TextWriter, input: PageInput) {
  drawCertificatePage(
    {
      fixed: writer,
      variable: writer,
      sealMark: (cx, cy, radius) => drawSealRing(writer, cx, cy, radius),
      sealPurpose: (cx, cy, radius) => drawSealPurpose(writer, cx, cy, radius),
    },
    input,
  );
  drawCertificateQr(doc, page, input.qrText);
}

export function drawCertificateQr(doc: PDFDocument, page: PDFPage, qrText: string) {
  return drawQrCode(doc, page, qrText, QR_ORIGIN.x, QR_ORIGIN.y, QR_WIDTH_PT);
}

/** Draws the front page (正页) of the certificate but the QR symbol: items in the paper form's order. */
export function drawCertificatePage(pass: PagePass, input: PageInput) {
  const { view } = input;
  if (pass.fixed) drawFrame(pass.fixed.page);
  drawHeader(pass, view.certificateNo);

  let y = 706;
  const newborn = view.newborn;
  y = drawGroup(pass, ['新生儿', 'Newborn'], y, [
    row(30, { label: ['姓名', 'Name'], value: newborn.name }, { label: ['性别', 'Sex'], value: newborn.sex }),
    row(26, { label: ['出生时间', 'Date and time of birth'], value: birthTimeText(newborn.birthTime) }),
    row(
      26,
      { label: ['出生孕周', 'Gestational age'], value: gestationText(newborn.gestation) },
      { label: ['健康状况', 'Health'], value: newborn.health },
    ),
    row(
      26,
      { label: ['出生体重', 'Birth weight'], value: `${newborn.weightGrams} g` },
      { label: ['出生身长', 'Birth length'], value: `${formatLength(newborn.lengthCm)} cm` },
    ),
    { height: 34, draw: (top) => drawBirthPlace(pass, top, view.birthPlace) },
  ]);
  y = drawGroup(pass, ['母亲', 'Mother'], y, parentRows(view.mother));
  y = drawGroup(pass, ['父亲', 'Father'], y, parentRows(view.father));
  y = drawWideRow(pass, y, 26, ['出生地点分类', 'Category of birth place'], view.birthPlaceCategory);
  y = drawWideRow(pass, y, 30, ['助产机构名称', 'Midwifery institution'], view.deliveryInstitution ?? NOT_APPLICABLE);
  drawIssuer(pass, view);
  drawQrCaption(pass, input);
}

function parentRows(parent: ParentView | null) {
  const item = (get: (p: ParentView) => string) => (parent ? get(parent) : NOT_PROVIDED);
  return [
    row(
      28,
      { label: ['姓名', 'Name'], value: item((p) => p.name) },
      { label: ['年龄', 'Age'], value: item((p) => `${p.age} 岁`) },
    ),
    row(
      26,
      { label: ['国籍', 'Nationality'], value: item((p) => p.nationality) },
      { label: ['民族', 'Ethnicity'], value: item((p) => p.ethnicity ?? NOT_APPLICABLE) },
    ),
    row(34, { label: ['住址', 'Address'], value: item((p) => p.address) }),
    row(
      28,
      { label: ['有效身份证件类别', 'ID document type'], value: item((p) => p.idType) },
      { label: ['有效身份证件号码', 'ID document No.'], value: item((p) => p.idNumber) },
    ),
  ];
}

function drawFrame(page: PDFPage) {
  const [w, h] = PAGE_SIZE;
  page.drawRectangle({ x: 22, y: 22, width: w - 44, height: h - 44, borderColor: LINE, borderWidth: 1.6 });
  page.drawRectangle({ x: 27, y: 27, width: w - 54, height: h - 54, borderColor: LINE, borderWidth: 0.5 });
}

function drawHeader({ fixed, variable }: PagePass, certificateNo: string) {
  const [w] = PAGE_SIZE;
  if (fixed) {
    const title = '出生医学证明';
    const size = 28;
    const spacing = 6;
    const titleWidth = fixed.fonts.widthOf(title, size) + spacing * ([...title].length - 1);
    fixed.page.pushOperators(pushGraphicsState(), setCharacterSpacing(spacing));
    fixed.drawLine(title, (w - titleWidth) / 2, 772, size, INK, true);
    fixed.page.pushOperators(popGraphicsState());
    const english = 'Birth Certificate';
    fixed.drawLine(english, (w - fixed.fonts.widthOf(english, 13)) / 2, 752, 13, LABEL_INK);
    fixed.drawLine('电子证照', LEFT, 722, 9, LABEL_INK);
    fixed.drawLine('E-licence', LEFT, 712, 6.5, CAPTION_INK);
  }
  if (variable) {
    // The number's label stands left of the number, so it moves with the number's width.
    const numberWidth = variable.fonts.widthOf(certificateNo, 14);
    variable.drawLine(certificateNo, RIGHT - numberWidth, 716, 14, NUMBER_INK);
    const labelRight = RIGHT - numberWidth - 8;
    variable.drawLine('出生证编号', labelRight - variable.fonts.widthOf('出生证编号', 9), 722, 9, LABEL_INK);
    const en = 'Birth Certificate No.';
    variable.drawLine(en, labelRight - variable.fonts.widthOf(en, 6.5), 712, 6.5, CAPTION_INK);
  }
}

function drawBirthPlace(pass: PagePass, top: number, place: CertificateView['birthPlace']) {
  const { fixed, variable } = pass;
  const height = 34;
  const y = top - height;
  let x = LEFT + COL.group;
  if (fixed) drawLabel(fixed, { x, y, width: COL.label, height }, ['出生地点', 'Place of birth']);
  x += COL.label;
  const width = RIGHT - x;
  fixed?.page.drawRectangle({ x, y, width, height, borderColor: LINE, borderWidth: 0.6 });
  const parts: Array<[string, string]> = [
    [place.province, 'Province'],
    [place.city, 'City'],
    [place.county, 'County / District'],
  ];
  const part = width / parts.length;
  parts.forEach(([name, caption], i) => {
    const px = x + i * part + PAD;
    variable?.drawInBox(name, { x: px, y: y + 11, width: part - 2 * PAD, height: 20 }, { size: 11 });
    fixed?.drawInBox(
      caption,
      { x: px, y: y + 2, width: part - 2 * PAD, height: 8 },
      { size: 6.5, minSize: 4.5, color: CAPTION_INK },
    );
  });
}

function drawIssuer({ fixed, sealMark, sealPurpose, variable }: PagePass, view: CertificateView) {
  const x = 318;
  const width = RIGHT - x;
  // In the order the whole page of layout 1 paints them (its PDFs carry that order).
  fixed?.drawLine('签发机构', x, 240, 9.5, LABEL_INK);
  fixed?.drawLine('Issuing institution', x + fixed.fonts.widthOf('签发机构', 9.5) + 5, 240, 6.5, CAPTION_INK);
  variable?.drawInBox(view.issuer.name, { x, y: 196, width, height: 36 }, { size: 13, minSize: 6 });
  fixed?.drawLine('签发日期', x, 170, 9.5, LABEL_INK);
  fixed?.drawLine('Date of issue', x + fixed.fonts.widthOf('签发日期', 9.5) + 5, 170, 6.5, CAPTION_INK);
  variable?.drawLine(dateText(view.issueDate), x, 148, 13);
  // Stamped across the institution name and the date, as the seal is on paper.
  const [cx, cy, radius] = [RIGHT - 72, 178, 54];
  sealMark?.(cx, cy, radius);
  if (variable) drawSealName(variable, cx, cy, radius, view.issuer.name);
  sealPurpose?.(cx, cy, radius);
}

function drawQrCaption({ fixed, variable }: PagePass, input: PageInput) {
  const { x } = QR_ORIGIN;
  const blockWidth = 250;
  if (fixed) {
    fixed.drawLine('电子证照标识', x - 6, 101, 7.5, LABEL_INK);
    fixed.drawLine('E-licence ID', x - 6 + fixed.fonts.widthOf('电子证照标识', 7.5) + 4, 101, 6, CAPTION_INK);
  }
  variable?.drawInBox(
    input.licenceId,
    { x: x - 6, y: 74, width: blockWidth, height: 22 },
    { size: 7.5, minSize: 5, leading: 1.3 },
  );
  if (!fixed) return;
  fixed.page.drawLine({ start: { x: LEFT, y: 66 }, end: { x: RIGHT, y: 66 }, thickness: 0.5, color: LINE });
  fixed.drawInBox(
    VERIFY_HINT,
    { x: LEFT, y: 50, width: RIGHT - LEFT, height: 13 },
    { size: 10, align: 'center', color: LABEL_INK },
  );
  fixed.drawInBox(
    VERIFY_HINT_EN,
    { x: LEFT, y: 38, width: RIGHT - LEFT, height: 10 },
    { size: 7, align: 'center', color: CAPTION_INK },
  );
}
