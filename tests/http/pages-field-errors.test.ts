import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BadInputCase, badInputCases } from '../fixtures/bad-input.ts';
import { fixtureRecords, isInstitutionalBirth } from '../fixtures/records.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, recordDelivery, type Staff, staffOf } from './lifecycle-helpers.ts';

/**
 * The API's bad-input corpus through the parents' forms, without JavaScript: each error shows
 * beside the field it names (the field points at it with aria-describedby), in Chinese words of
 * the catalogue, never the English fallback; in English, the API's words without a raw path.
 */
let svc: TestService;
let gz: Staff;
const record = bornBefore(fixtureRecords.find(isInstitutionalBirth)!, new Date(), 1);
let code: string;

beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  gz = await staffOf(svc, 'gz');
  code = (await recordDelivery(svc, gz.midwife, record)).applicationCode as string;
});
afterAll(async () => {
  await svc?.stop();
});

type Json = Record<string, unknown>;
/** The paths of the fields the parents fill in: newborn's name, father (or why absent), applicant. */
const FORM_FIELD = /^(newborn\.name|father(\.[a-zA-Z]+)?|fatherAbsentReason|applicant\.[a-zA-Z]+)$/;

/** A form sends text only: these bad JSON values have no form of their own. */
const NOT_A_FORM_INPUT: Record<string, string> = {
  'father.age as a string': 'a form sends every age as text; "33" is the valid age 33',
  'father.address as a number': 'a form sends 385 as the text "385", a valid address',
  'father as a string': 'no field of the form makes the father a string',
};

/** A corpus body's parents' items as the form posts them. */
function formOf(body: Json): Record<string, string> {
  const form: Record<string, string> = {};
  const put = (prefix: string, items: unknown) => {
    for (const [key, value] of Object.entries(items as Json)) {
      form[`${prefix}.${key}`] = value === null ? '' : String(value);
    }
  };
  put('newborn', body.newborn);
  put('applicant', body.applicant);
  if (body.father === null) {
    form.fatherAbsent = 'yes';
    form.fatherAbsentReason = typeof body.fatherAbsentReason === 'string' ? body.fatherAbsentReason : '';
  } else put('father', body.father);
  return form;
}

const onTheForm = badInputCases.application.filter((c) => FORM_FIELD.test(c.expectedPath));
const cases = onTheForm.filter((c) => !(c.name in NOT_A_FORM_INPUT));

/** What a parent reads beside the field, per corpus case. */
const EXPECTED_ZH: Record<string, string> = {
  'father.age as a fraction': '应为整数。',
  'father.idType unknown code': '请从列表中选择。',
  'father.ethnicity unknown code': '请从列表中选择。',
  'father.nationality unknown': '应为三位大写字母国家代码，例如 CHN。',
  'father.idNumber bad check character': '身份证号码校验位不正确，请核对。',
  'father.idNumber lower-case x': '身份证号码最后一位应为大写 X。',
  'father.name with a control character': '含有不可见字符或控制字符，请重新输入。',
  'father.name empty': '此项必填。',
  'father null without a reason': '此项必填。',
  'newborn.name empty': '此项必填。',
  'newborn.name with a zero-width space': '含有不可见字符或控制字符，请重新输入。',
  'huge string as father.address': '内容过长，最多 100 个字。',
  'applicant.name empty': '此项必填。',
  'applicant relation unknown': '请从列表中选择。',
  'applicant idNumber bad check character': '身份证号码校验位不正确，请核对。',
};

async function post(route: string, form: Record<string, string>, lang: string, cookie = '') {
  const res = await fetch(`${svc.url}${route}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': lang, cookie },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, html: await res.text(), setCookie: res.headers.get('set-cookie') ?? '' };
}

/** The error element of the field named by an API path, if the field is marked invalid and points at it. */
function errorBeside(html: string, fieldPath: string): string | undefined {
  const id = `f-${fieldPath.replace(/[^A-Za-z0-9]+/g, '-')}`;
  const control = new RegExp(`<(input|select) id="${id}"[^>]*>`).exec(html)?.[0] ?? '';
  if (!control.includes('aria-invalid="true"') || !control.includes(`aria-describedby="${id}-error"`)) return undefined;
  return new RegExp(`<p class="error" id="${id}-error">([^<]*)</p>`).exec(html)?.[1];
}

/** Each case through a form: the Chinese text beside its field, and the English page's words. */
async function shownFor(route: string, extra: Record<string, string>, cookie = '') {
  const zh: Record<string, string | undefined> = {};
  for (const c of cases) {
    const form = { ...extra, ...formOf(c.body as Json) };
    const res = await post(route, form, 'zh-CN', cookie);
    expect(res.status, c.name).toBe(400);
    zh[c.name] = errorBeside(res.html, c.expectedPath);
    const en = await post(route, form, 'en', cookie);
    expect(en.status, c.name).toBe(400);
    // In English the API's own words, without its lead of a Chinese label and a raw path.
    const english = errorBeside(en.html, c.expectedPath) ?? '';
    expect(english, c.name).toMatch(/^[A-Z][^\u3400-\u9fff]*\.$/);
    expect(english, c.name).not.toContain(c.expectedPath);
  }
  return zh;
}

describe('the API corpus of bad input through the parents’ forms', () => {
  it('covers every corpus case on the parents’ fields; only JSON-only values are left out', () => {
    expect(onTheForm.filter((c: BadInputCase) => c.name in NOT_A_FORM_INPUT).map((c) => c.name)).toEqual(
      Object.keys(NOT_A_FORM_INPUT),
    );
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(EXPECTED_ZH).sort());
  });

  it('apply: each error shows beside its field, in Chinese', async () => {
    const shown = await shownFor('/apply', { applicationCode: code, motherIdNumber: record.mother.idNumber });
    expect(shown).toEqual(EXPECTED_ZH);
  });

  it('correct after return: each error shows beside its field, in Chinese', async () => {
    const valid = formOf(badInputCases.application.find((c) => c.name === 'father.name empty')!.body as Json);
    const applied = await post(
      '/apply',
      { applicationCode: code, motherIdNumber: record.mother.idNumber, ...valid, 'father.name': record.father!.name },
      'zh-CN',
    );
    expect(applied.status).toBe(303);
    const cookie = applied.setCookie.split(';')[0]!;
    const queue = await svc.request('GET', '/api/v1/applications', { token: gz.issuer });
    const id = queue.body.applications.find((a: { channel: string }) => a.channel === 'online').id;
    const returned = await svc.request('POST', `/api/v1/applications/${id}/return`, {
      token: gz.issuer,
      json: { reason: '父亲住址有误，请更正' },
    });
    expect(returned.status).toBe(200);
    const shown = await shownFor('/apply/status', {}, cookie);
    expect(shown).toEqual(EXPECTED_ZH);
  });
});
