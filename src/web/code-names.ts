import type { IdType } from '../domain/certificate.ts';
import { ETHNIC_GROUP_LIST } from '../domain/codes/ethnicity.ts';
import { ID_TYPES } from '../domain/codes/id-types.ts';
import type { Lang } from './messages.ts';

/**
 * The pick lists' code names in the page's language. Chinese comes from the domain's code tables;
 * English is kept beside the Chinese, because what the certificate prints is the Chinese name.
 */
const ID_TYPES_EN: Readonly<Record<IdType, string>> = {
  '01': 'Resident identity card',
  '02': 'Household register',
  '03': 'Passport',
  '04': 'Military officer ID',
  '05': "Driver's licence",
  '06': 'Mainland travel permit for Hong Kong and Macao residents',
  '07': 'Mainland travel permit for Taiwan residents',
  '99': 'Other lawful ID document',
};

/** GB/T 3304-1991's romanized names, in the standard's order (codes 01–56), then 97 and 98. */
// biome-ignore format: the standard's table, ten to a line, reads best as a table
const ETHNIC_GROUPS_EN = [
  'Han', 'Mongol', 'Hui', 'Zang', 'Uygur', 'Miao', 'Yi', 'Zhuang', 'Buyei', 'Chosen',
  'Man', 'Dong', 'Yao', 'Bai', 'Tujia', 'Hani', 'Kazak', 'Dai', 'Li', 'Lisu',
  'Va', 'She', 'Gaoshan', 'Lahu', 'Sui', 'Dongxiang', 'Naxi', 'Jingpo', 'Kirgiz', 'Tu',
  'Daur', 'Mulao', 'Qiang', 'Blang', 'Salar', 'Maonan', 'Gelao', 'Xibe', 'Achang', 'Pumi',
  'Tajik', 'Nu', 'Uzbek', 'Russ', 'Ewenki', 'Deang', 'Bonan', 'Yugur', 'Gin', 'Tatar',
  'Derung', 'Oroqen', 'Hezhen', 'Monba', 'Lhoba', 'Jino', 'Other', 'Chinese citizen of foreign origin',
] as const;

export function idTypeOptions(lang: Lang): { value: string; text: string }[] {
  return (Object.entries(ID_TYPES) as [IdType, string][]).map(([value, zh]) => ({
    value,
    text: lang === 'en' ? `${ID_TYPES_EN[value]} (${zh})` : zh,
  }));
}

export function ethnicityOptions(lang: Lang): { value: string; text: string }[] {
  return ETHNIC_GROUP_LIST.map((group, i) => ({
    value: group.code,
    text: lang === 'en' ? `${ETHNIC_GROUPS_EN[i]} (${group.name})` : group.name,
  }));
}
