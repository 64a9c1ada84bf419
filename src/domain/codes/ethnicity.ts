/**
 * GB/T 3304-1991 names and codes of China's ethnic groups, in the standard's order.
 * A fixed national list, so a typed table rather than a data package.
 */
// biome-ignore format: the standard's table, ten to a line, reads best as a table
const NAMES = [
  '汉族', '蒙古族', '回族', '藏族', '维吾尔族', '苗族', '彝族', '壮族', '布依族', '朝鲜族',
  '满族', '侗族', '瑶族', '白族', '土家族', '哈尼族', '哈萨克族', '傣族', '黎族', '傈僳族',
  '佤族', '畲族', '高山族', '拉祜族', '水族', '东乡族', '纳西族', '景颇族', '柯尔克孜族', '土族',
  '达斡尔族', '仫佬族', '羌族', '布朗族', '撒拉族', '毛南族', '仡佬族', '锡伯族', '阿昌族', '普米族',
  '塔吉克族', '怒族', '乌孜别克族', '俄罗斯族', '鄂温克族', '德昂族', '保安族', '裕固族', '京族', '塔塔尔族',
  '独龙族', '鄂伦春族', '赫哲族', '门巴族', '珞巴族', '基诺族',
] as const;

/** In the standard's order, for pick lists (object keys would put 97 and 98 first: they are integer-like). */
export const ETHNIC_GROUP_LIST: readonly { code: string; name: string }[] = Object.freeze([
  ...NAMES.map((name, i) => ({ code: String(i + 1).padStart(2, '0'), name })),
  { code: '97', name: '其他' },
  { code: '98', name: '外国血统中国籍人士' },
]);

export const ETHNIC_GROUPS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(ETHNIC_GROUP_LIST.map(({ code, name }) => [code, name])),
);

export const isEthnicityCode = (code: string): boolean => Object.hasOwn(ETHNIC_GROUPS, code);

/** Foreign nationals carry no ethnicity; the certificate prints `/` in that box. */
export const NO_ETHNICITY_TEXT = '/';

/** The group's name, `/` for null; throws RangeError for a code not in the table. */
export function ethnicityText(code: string | null): string {
  if (code === null) return NO_ETHNICITY_TEXT;
  const name = Object.hasOwn(ETHNIC_GROUPS, code) ? ETHNIC_GROUPS[code] : undefined;
  if (name === undefined) throw new RangeError('Not a GB/T 3304 ethnic group code');
  return name;
}
