import type { ErrorDetail } from '../domain/errors.ts';
import type { Lang } from './messages.ts';

/**
 * The API's field messages in Chinese, for the pages. The API speaks English to programs; a
 * parent reads 此项必填 beside the box. Messages without a translation keep the API's words
 * after a Chinese lead, so nothing the service said is lost.
 */
const ZH: [RegExp, string | ((match: RegExpExecArray) => string)][] = [
  // Lengths of text come before the numeric bounds below, whose words ("at least") they share.
  [/must be at least 1 characters? long/, '此项必填。'],
  [/must be at least (\d+) characters long/, (m) => `至少 ${m[1]} 个字。`],
  [/must be at most (\d+) characters? long/, (m) => `内容过长，最多 ${m[1]} 个字。`],
  [/must end in an upper-case X, not x/, '身份证号码最后一位应为大写 X。'],
  [/^is required/, '此项必填。'],
  [/^must have required property/, '此项必填。'],
  [/has a wrong check character \(GB 11643/, '身份证号码校验位不正确，请核对。'],
  [/has a wrong check character/, '校验码不正确，请核对。'],
  [/must be a citizen ID number/, '应为 18 位居民身份证号码（最后一位可为 X）。'],
  [/does not contain a real birth date/, '身份证号码中的出生日期不存在，请核对。'],
  [/17th digit gives the other sex/, '身份证号码的性别位与此人性别不符，请核对。'],
  [/does not carry the birth date on the certificate/, '身份证号码中的出生日期与出生医学证明不符，请核对。'],
  [/does not carry the sex on the certificate/, '身份证号码的性别位与出生医学证明上的性别不符，请核对。'],
  [/must lie between the birth date and today/, '应在出生日期与今天之间。'],
  [/is not a current county-level division code/, '不是现行的县级行政区划代码（GB/T 2260），请核对。'],
  [/must be 6 digits/, '应为 6 位数字。'],
  [/must not be blank or only spaces/, '此项必填。'],
  [/must not start or end with a space/, '首尾不能有空格。'],
  [/must be (\d+)–(\d+) characters of visible text/, (m) => `应填写 ${m[1]}–${m[2]} 个字。`],
  [/must be an upper-case letter followed by 9 digits/, '应为 1 个大写字母加 9 位数字，例如 Q440000001。'],
  [/must be a 3-letter upper-case country code|is not a country code/, '应为三位大写字母国家代码，例如 CHN。'],
  [/is not a GB\/T 3304 ethnic group code/, '请选择民族。'],
  [/must be null for a foreign national/, '外国籍人员不填民族。'],
  [/overlaps an existing range/, '与已领取的号段重叠。'],
  [/lastNo must not be below firstNo/, '终止号不能小于起始号。'],
  [/username is taken/, '该用户名已被使用。'],
  [/username must be 3–64 letters/, '应为 3–64 位字母、数字、点、下划线或连字符。'],
  [/institution is required for midwife and issuer accounts/, '助产人员和签发人员须选择所属机构。'],
  [/institution must be empty for this role/, '此角色不属于机构，请选择“不属于机构”。'],
  [/^no such institution/, '没有该机构。'],
  [/already linked to an account/, '此认证账户已关联到一个工作人员账户，须先在那里解除。'],
  [/not linked to this account/, '此认证账户未关联到本账户。'],
  [/must be an absolute http or https URI/, '应为 http:// 或 https:// 开头的身份认证平台地址。'],
  [/must be printable ASCII characters without spaces/, '应为不含空格的字母、数字或符号。'],
  [/only a police account has a police unit/, '只有公安账户才有所属派出所。'],
  [/^no such certificate/, '没有该编号的出生医学证明。'],
  [/must not be in the future/, '不能晚于现在。'],
  [/must be a real date and time/, '请填写有效的日期和时间。'],
  [/must not contain control characters|must not contain spaces/, '含有不可见字符或控制字符，请重新输入。'],
  [/contains characters no embedded font can print/, '含有证书无法打印的字符，请核对。'],
  [/must be a phone number/, '应为电话号码。'],
  [/must be 4–64 letters, digits or hyphens/, '应为字母、数字或连字符。'],
  [/must be (an integer|integer|a number|number)/, '应为整数。'],
  [/must be >=|must be at least|must not be below/, '数值过小。'],
  [/must be <=|must be at most/, '数值过大。'],
  [/must NOT have fewer than|must not be empty|at least 1 character/, '此项必填。'],
  [/must NOT have more than|at most \d+ characters/, '内容过长。'],
  [/must be equal to one of|must be one of/, '请从列表中选择。'],
  [/is father but father is null/, '申请人为父亲时须填写父亲信息。'],
  [/fatherAbsentReason/, '父亲信息不详时须填写原因。'],
  [/is required when the father is null|when father is null/, '父亲信息不详时须填写原因。'],
  [/must be null|must not be given|is not allowed/, '此项不应填写。'],
  [/age/, '年龄与身份证件不符或不在合理范围内。'],
];

/**
 * The API's English without its lead "父亲姓名 (father.name) ": on the page the field's own label
 * already says which field it is, and a Chinese label or a raw path would puzzle an English reader.
 */
function englishBesideField(detail: ErrorDetail): string {
  const lead = /^[^()]*\(([^()]+)\)\s+/.exec(detail.message);
  const text = lead && lead[1] === detail.path ? detail.message.slice(lead[0].length) : detail.message;
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?。]$/.test(sentence) ? sentence : `${sentence}.`;
}

export function fieldMessage(detail: ErrorDetail, lang: Lang): string {
  if (lang === 'en') return englishBesideField(detail);
  for (const [pattern, text] of ZH) {
    const match = pattern.exec(detail.message);
    if (match) return typeof text === 'string' ? text : text(match);
  }
  return `填写有误：${detail.message}`;
}

/** Details by field path, for showing each beside its field. */
export function errorsByField(details: readonly ErrorDetail[], lang: Lang): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  for (const detail of details) {
    const list = byField.get(detail.path) ?? [];
    list.push(fieldMessage(detail, lang));
    byField.set(detail.path, list);
  }
  return byField;
}
