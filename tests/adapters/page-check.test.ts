import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateViewOf } from '../../src/adapters/certificate-view-of.ts';
import { countryDirectory } from '../../src/adapters/countries.ts';
import { divisionDirectory } from '../../src/adapters/divisions.ts';
import { loadFonts } from '../../src/adapters/pdf/fonts.ts';
import { inspectPdf } from '../../src/adapters/pdf/index.ts';
import { createPageChecker } from '../../src/adapters/pdf/page-check.ts';
import { buildCertificateDocument, PAGE_LAYOUTS } from '../../src/adapters/pdf/render.ts';

/**
 * A certificate PDF as the service issued it before the page's fixed parts became form XObjects
 * (layout 1: everything drawn on the page, one font subset). It was issued by a test service of
 * that version; its page must keep matching its e-licence offline, whatever the renderer does now.
 */
const LAYOUT_1 = readFileSync(path.join(import.meta.dirname, '../fixtures/pdf/layout-1.pdf'));

const pageMatches = createPageChecker({ divisions: divisionDirectory, countries: countryDirectory });
let contents: { signedJsonText: string; qrText: string };

beforeAll(async () => {
  const inspected = await inspectPdf(LAYOUT_1);
  if (!inspected.ok) throw new Error(`the layout-1 PDF does not inspect: ${inspected.reason}`);
  contents = { signedJsonText: inspected.signedJsonText, qrText: inspected.qrText };
});

async function renderedWith(layoutIndex: number): Promise<Uint8Array> {
  const jws = JSON.parse(contents.signedJsonText) as { payload: string; protected: string };
  const payload = JSON.parse(Buffer.from(jws.payload, 'base64url').toString('utf8'));
  const header = JSON.parse(Buffer.from(jws.protected, 'base64url').toString('utf8'));
  const doc = await buildCertificateDocument(
    {
      view: certificateViewOf(payload.certificate, { divisions: divisionDirectory, countries: countryDirectory }),
      qrText: contents.qrText,
      licenceId: payload.licence.id,
      signedJson: contents.signedJsonText,
      fonts: loadFonts(),
      now: new Date(header.sigT),
    },
    PAGE_LAYOUTS[layoutIndex],
  );
  return doc.save();
}

describe('the offline page check across page layouts', () => {
  it('still recognises a PDF issued with the earlier layout', async () => {
    expect(await pageMatches(LAYOUT_1, contents)).toBe(true);
  });

  it('recognises the same certificate in the current layout, which differs from the earlier one object by object', async () => {
    const current = await renderedWith(0);
    expect(Buffer.from(current).includes(Buffer.from('/Subtype /Form'))).toBe(true);
    expect(await pageMatches(current, contents)).toBe(true);
  });

  it('refuses the earlier layout when the page does not print what the e-licence and QR carry', async () => {
    const otherQr = `${contents.qrText.slice(0, -1)}${contents.qrText.endsWith('A') ? 'B' : 'A'}`;
    expect(await pageMatches(LAYOUT_1, { ...contents, qrText: otherQr })).toBe(false);
  });
});
