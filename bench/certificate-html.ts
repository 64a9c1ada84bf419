/**
 * BENCHMARK ONLY: the certificate page as HTML, for the browser peer in bench-pdf.ts (how most
 * certificate platforms make PDFs: an HTML template printed by a headless browser). The same
 * items, table, seal, QR symbol and instructions as layout.ts, at the same positions in points,
 * with the same font files, loaded from the local filesystem.
 */
import QRCode from 'qrcode';
import { type CertificateView, formatLength, type ParentView } from '../src/adapters/pdf/certificate-view.ts';
import type { FontSource } from '../src/adapters/pdf/fonts.ts';
import { COL, LEFT, RIGHT } from '../src/adapters/pdf/form-table.ts';
import { NOT_APPLICABLE, NOT_PROVIDED, QR_ORIGIN, QR_WIDTH_PT, VERIFY_HINT } from '../src/adapters/pdf/layout.ts';
import { SEAL_PURPOSE } from '../src/adapters/pdf/seal.ts';
import { birthTimeText, dateText, gestationText } from '../src/domain/codes/display-text.ts';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

type Cell = [zh: string, en: string, value: string];

function label(zh: string, en: string) {
  return `<th><span class="zh">${escapeHtml(zh)}</span><span class="en">${escapeHtml(en)}</span></th>`;
}

function rowHtml(height: number, cells: Cell[], groupCell = '') {
  const [first, second] = cells;
  const firstSpan = second ? 1 : 3;
  return `<tr style="height:${height}pt">${groupCell}${label(first![0], first![1])}<td colspan="${firstSpan}">${escapeHtml(first![2])}</td>${
    second ? `${label(second[0], second[1])}<td>${escapeHtml(second[2])}</td>` : ''
  }</tr>`;
}

function parentRows(parent: ParentView | null): Array<[number, Cell[]]> {
  const item = (get: (p: ParentView) => string) => (parent ? get(parent) : NOT_PROVIDED);
  return [
    [
      28,
      [
        ['姓名', 'Name', item((p) => p.name)],
        ['年龄', 'Age', item((p) => `${p.age} 岁`)],
      ],
    ],
    [
      26,
      [
        ['国籍', 'Nationality', item((p) => p.nationality)],
        ['民族', 'Ethnicity', item((p) => p.ethnicity ?? NOT_APPLICABLE)],
      ],
    ],
    [34, [['住址', 'Address', item((p) => p.address)]]],
    [
      28,
      [
        ['有效身份证件类别', 'ID document type', item((p) => p.idType)],
        ['有效身份证件号码', 'ID document No.', item((p) => p.idNumber)],
      ],
    ],
  ];
}

function group(zh: string, en: string, rows: Array<[number, Cell[]]>) {
  const side = `<th class="group" rowspan="${rows.length}"><span class="vertical">${escapeHtml(zh)}</span><span class="en">${escapeHtml(en)}</span></th>`;
  return rows.map(([h, cells], i) => rowHtml(h, cells, i === 0 ? side : '')).join('');
}

function seal(institution: string) {
  const r = 54;
  const star: string[] = [];
  for (let i = 0; i < 10; i++) {
    const rr = i % 2 === 0 ? r * 0.22 : r * 0.22 * 0.382;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    star.push(`${(r + rr * Math.cos(a)).toFixed(2)},${(r + rr * Math.sin(a)).toFixed(2)}`);
  }
  return `<svg class="seal" width="${2 * r}pt" height="${2 * r}pt" viewBox="0 0 ${2 * r} ${2 * r}">
<circle cx="${r}" cy="${r}" r="${r - 1.3}" fill="none" stroke="#db1a1f" stroke-width="2.4"/>
<polygon points="${star.join(' ')}" fill="#db1a1f"/>
<path id="arc" d="M ${r * 0.22} ${r} A ${r * 0.78} ${r * 0.78} 0 1 1 ${r * 1.78} ${r}" fill="none"/>
<text font-size="${r * 0.2}" fill="#db1a1f"><textPath href="#arc" startOffset="50%" text-anchor="middle">${escapeHtml(institution)}</textPath></text>
<text x="${r}" y="${r * 1.6}" font-size="${r * 0.13}" fill="#db1a1f" text-anchor="middle">${SEAL_PURPOSE}</text></svg>`;
}

/** The HTML rendition of one certificate page (A4, positions in points as in layout.ts). */
export async function certificateHtml(
  input: { view: CertificateView; qrText: string; licenceId: string },
  fonts: FontSource[],
): Promise<string> {
  const { view } = input;
  const nb = view.newborn;
  const qr = await QRCode.toString(input.qrText, { type: 'svg', errorCorrectionLevel: 'M', margin: 0 });
  const faces = fonts.map((f, i) => `@font-face{font-family:"F${i}";src:url("file://${f.path}");}`).join('');
  const family = fonts.map((_, i) => `"F${i}"`).join(',');
  const place = Object.values(view.birthPlace)
    .map((name, i) => `<span>${escapeHtml(name)}<small>${['Province', 'City', 'County / District'][i]}</small></span>`)
    .join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
${faces}
@page{size:595.28pt 841.89pt;margin:0}
*{box-sizing:border-box}
body{margin:0;font-family:${family};color:#1a1a1a}
.page{position:relative;width:595.28pt;height:841.89pt;overflow:hidden}
.frame{position:absolute;left:22pt;top:22pt;right:22pt;bottom:22pt;border:1.6pt solid #596b80}
.frame2{position:absolute;left:27pt;top:27pt;right:27pt;bottom:27pt;border:.5pt solid #596b80}
h1{position:absolute;top:42pt;width:100%;text-align:center;font-size:28pt;letter-spacing:6pt;margin:0;font-weight:normal}
.sub{position:absolute;top:78pt;width:100%;text-align:center;font-size:13pt;color:#29384d}
.kind{position:absolute;left:${LEFT}pt;top:111pt;font-size:9pt;color:#29384d}
.no{position:absolute;right:${595.28 - RIGHT}pt;top:111pt;font-size:9pt;color:#29384d}
.no b{font-weight:normal;font-size:14pt;color:#991419;margin-left:8pt}
small,.en{display:block;font-size:6.5pt;color:#616b7a}
table{position:absolute;left:${LEFT}pt;top:${841.89 - 706}pt;width:${RIGHT - LEFT}pt;border-collapse:collapse;table-layout:fixed}
th,td{border:.6pt solid #596b80;padding:0 5pt;font-weight:normal;text-align:left;vertical-align:middle}
th{background:#f0f4f7;font-size:9.5pt;color:#29384d}
td{font-size:11pt}
th.group{text-align:center}
.vertical{writing-mode:vertical-rl;font-size:11pt;letter-spacing:3pt}
.place{display:flex}.place span{flex:1;font-size:11pt}
.issuer{position:absolute;left:318pt;top:${841.89 - 250}pt;width:${RIGHT - 318}pt;font-size:13pt}
.issuer .l{font-size:9.5pt;color:#29384d}
.seal{position:absolute;left:${RIGHT - 72 - 54 - 318}pt;top:10pt;opacity:.85}
.qr{position:absolute;left:${QR_ORIGIN.x}pt;top:${841.89 - QR_ORIGIN.y - QR_WIDTH_PT}pt;width:${QR_WIDTH_PT}pt;height:${QR_WIDTH_PT}pt}
.lid{position:absolute;left:${QR_ORIGIN.x - 6}pt;top:${841.89 - 110}pt;width:250pt;font-size:7.5pt;word-break:break-all}
.hint{position:absolute;left:${LEFT}pt;top:${841.89 - 66}pt;width:${RIGHT - LEFT}pt;border-top:.5pt solid #596b80;text-align:center;font-size:10pt;color:#29384d;padding-top:3pt}
</style></head><body><div class="page">
<div class="frame"></div><div class="frame2"></div>
<h1>出生医学证明</h1><div class="sub">Birth Certificate</div>
<div class="kind">电子证照<small>E-licence</small></div>
<div class="no">出生证编号<b>${escapeHtml(view.certificateNo)}</b><small>Birth Certificate No.</small></div>
<table><colgroup><col style="width:${COL.group}pt"><col style="width:${COL.label}pt"><col style="width:${COL.value}pt"><col style="width:${COL.label2}pt"><col style="width:${COL.value2}pt"></colgroup>
${group('新生儿', 'Newborn', [
  [
    30,
    [
      ['姓名', 'Name', nb.name],
      ['性别', 'Sex', nb.sex],
    ],
  ],
  [26, [['出生时间', 'Date and time of birth', birthTimeText(nb.birthTime)]]],
  [
    26,
    [
      ['出生孕周', 'Gestational age', gestationText(nb.gestation)],
      ['健康状况', 'Health', nb.health],
    ],
  ],
  [
    26,
    [
      ['出生体重', 'Birth weight', `${nb.weightGrams} g`],
      ['出生身长', 'Birth length', `${formatLength(nb.lengthCm)} cm`],
    ],
  ],
  [34, [['出生地点', 'Place of birth', '']]],
]).replace('<td colspan="3"></td></tr>', `<td colspan="3"><div class="place">${place}</div></td></tr>`)}
${group('母亲', 'Mother', parentRows(view.mother))}
${group('父亲', 'Father', parentRows(view.father))}
<tr style="height:26pt">${label('出生地点分类', 'Category of birth place').replace('<th>', '<th colspan="2">')}<td colspan="3">${escapeHtml(view.birthPlaceCategory)}</td></tr>
<tr style="height:30pt">${label('助产机构名称', 'Midwifery institution').replace('<th>', '<th colspan="2">')}<td colspan="3">${escapeHtml(view.deliveryInstitution ?? NOT_APPLICABLE)}</td></tr>
</table>
<div class="issuer"><div class="l">签发机构 <small style="display:inline">Issuing institution</small></div><div>${escapeHtml(view.issuer.name)}</div>
<div class="l" style="margin-top:30pt">签发日期 <small style="display:inline">Date of issue</small></div><div>${escapeHtml(dateText(view.issueDate))}</div>${seal(view.issuer.name)}</div>
<div class="qr">${qr}</div>
<div class="lid">电子证照标识 <small style="display:inline">E-licence ID</small><br>${escapeHtml(input.licenceId)}</div>
<div class="hint">${VERIFY_HINT}<small>Scan the QR code or use the verification service to check that this certificate is genuine.</small></div>
</div></body></html>`;
}
