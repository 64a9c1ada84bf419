import { describe, expect, it } from 'vitest';
import type { ELicencePayload } from '../../../src/domain/certificate.ts';
import type { GlyphCoverage } from '../../../src/domain/ports.ts';
import { certificateProblems, checkBody, SCHEMAS, validateBody } from '../../../src/validation/index.ts';
import {
  applicationBodyFor,
  certificateFor,
  deliveryBodyFor,
  fixtureRecords,
  testContext,
} from '../../fixtures/records.ts';

const [hospital] = fixtureRecords as [(typeof fixtureRecords)[number]];
const ctx = testContext();

/** Fonts that draw CJK basic block and ASCII only. */
const basicFonts: GlyphCoverage = {
  missingCharacters: (text) => [
    ...new Set([...text].filter((c) => !/[\u0020-\u007e\u00b7\u3000-\u303f\u4e00-\u9fff]/u.test(c))),
  ],
};

describe('names', () => {
  it('are normalised to NFC, not refused', () => {
    const decomposed = 'Zoe\u0308 王'; // "Zoë" with a combining diaeresis
    const body = { ...applicationBodyFor(hospital), newborn: { name: decomposed } };
    const value = validateBody('application', body, ctx);
    expect(value.newborn.name).toBe('Zoë 王'.normalize('NFC'));
    expect(value.newborn.name).not.toBe(decomposed);
  });

  it('are refused when not NFC in signed material, which must not be changed', () => {
    const certificate = certificateFor(hospital);
    certificate.mother.name = 'Zoe\u0308';
    expect(certificateProblems(certificate, ctx).map((d) => d.path)).toEqual(['mother.name']);
  });

  it('keep rare characters outside the basic block when the fonts draw them', () => {
    const rare = fixtureRecords.find((r) => r.newborn.name === '吉𠮷')!;
    expect(checkBody('certificate', certificateFor(rare), ctx)).toMatchObject({ ok: true });
  });

  it('name every character no embedded font can draw, by field', () => {
    const rare = fixtureRecords.find((r) => r.newborn.name === '吉𠮷')!;
    const result = checkBody('certificate', certificateFor(rare), testContext({ glyphs: basicFonts }));
    expect(result.ok ? [] : result.details).toEqual([
      {
        path: 'newborn.name',
        item: '新生儿姓名',
        message: '新生儿姓名 (newborn.name) contains characters no embedded font can print: U+20BB7 𠮷',
      },
      {
        path: 'mother.name',
        item: '母亲姓名',
        message: '母亲姓名 (mother.name) contains characters no embedded font can print: U+4DAE 䶮',
      },
    ]);
  });

  it('are checked for glyphs in the request that supplies them (delivery: the mother)', () => {
    const body = deliveryBodyFor(hospital);
    body.mother.address = '天河路385号☃';
    const result = checkBody('delivery', body, testContext({ glyphs: basicFonts }));
    expect(result.ok ? [] : result.details.map((d) => d.message)).toEqual([
      '母亲住址 (mother.address) contains characters no embedded font can print: U+2603 ☃',
    ]);
  });
});

describe('birth time and dates', () => {
  it('accepts a birth exactly at now and refuses one a minute later', () => {
    const certificate = certificateFor(hospital);
    const atNow = {
      ...certificate,
      newborn: { ...certificate.newborn, birthTime: '2026-11-25T00:00+08:00' },
      issueDate: '2026-11-25',
    };
    expect(checkBody('certificate', atNow, ctx)).toMatchObject({ ok: true });
    const later = { ...atNow, newborn: { ...atNow.newborn, birthTime: '2026-11-25T00:01+08:00' } };
    expect(checkBody('certificate', later, ctx)).toMatchObject({ ok: false });
  });

  it('compares the issue date with the birth date in the birth time’s own offset', () => {
    // The same instant: written in UTC the birth date is the 19th, written in China time the 20th.
    const certificate = certificateFor(hospital);
    const utcEvening = {
      ...certificate,
      newborn: { ...certificate.newborn, birthTime: '2026-11-19T23:30Z' },
      issueDate: '2026-11-19',
    };
    expect(checkBody('certificate', utcEvening, ctx)).toMatchObject({ ok: true });
    const chinaMorning = { ...utcEvening, newborn: { ...utcEvening.newborn, birthTime: '2026-11-20T07:30+08:00' } };
    expect(checkBody('certificate', chinaMorning, ctx)).toMatchObject({ ok: false });
  });

  it('leaves a birth more than 24 hours ago to the lifecycle', () => {
    const body = deliveryBodyFor(hospital);
    body.newborn.birthTime = '2020-01-01T00:00+08:00';
    body.mother.age = 26;
    expect(checkBody('delivery', body, ctx)).toMatchObject({ ok: true });
  });
});

describe('e-licence payloads', () => {
  const payload = SCHEMAS['elicence-payload'].examples[0] as ELicencePayload;

  it('must carry an identifier whose parts agree with the envelope', () => {
    const other = structuredClone(payload);
    other.licence.version = '002';
    expect(checkBody('elicence-payload', other, ctx)).toEqual({
      ok: false,
      details: [
        {
          path: 'licence.id',
          item: '电子证照标识',
          message: '电子证照标识 (licence.id) does not agree with version',
        },
      ],
    });
  });

  it('must describe the same issue in the envelope and the certificate', () => {
    const other = structuredClone(payload);
    other.licence.holder.name = '李沐晨';
    other.certificate.issueDate = '2026-11-23';
    const result = checkBody('elicence-payload', other, ctx);
    expect(result.ok ? [] : result.details.map((d) => d.path)).toEqual(['licence.issueDate', 'licence.holder.name']);
  });

  it('refuses an identifier with a wrong check character', () => {
    const other = structuredClone(payload);
    other.licence.id = `${other.licence.id.slice(0, -1)}${other.licence.id.endsWith('0') ? '1' : '0'}`;
    const result = checkBody('elicence-payload', other, ctx);
    expect(result.ok ? [] : result.details.map((d) => d.path)).toEqual(['licence.id']);
  });
});
