/**
 * The Chinese item name (数据项名称) for a field path in dot notation, as error details and forms
 * show it: `mother.idNumber` → 母亲有效身份证件号码. Parent items share one table with a prefix.
 */

const PARENT_ITEMS: Readonly<Record<string, string>> = {
  name: '姓名',
  age: '年龄',
  nationality: '国籍',
  ethnicity: '民族',
  address: '住址',
  idType: '有效身份证件类别',
  idNumber: '有效身份证件号码',
};

const ITEMS: Readonly<Record<string, string>> = {
  certificateNo: '出生医学证明编号',
  newborn: '新生儿',
  'newborn.name': '新生儿姓名',
  'newborn.sex': '性别',
  'newborn.birthTime': '出生时间',
  'newborn.gestation': '出生孕周',
  'newborn.gestation.weeks': '出生孕周（周）',
  'newborn.gestation.days': '出生孕周（天）',
  'newborn.weightGrams': '出生体重',
  'newborn.lengthCm': '出生身长',
  'newborn.health': '健康状况',
  birthPlace: '出生地点',
  'birthPlace.divisionCode': '出生地点',
  birthPlaceCategory: '出生地点分类',
  birthPlaceOther: '出生地点分类（其他）',
  deliveryInstitution: '助产机构',
  'deliveryInstitution.name': '助产机构名称',
  'deliveryInstitution.creditCode': '助产机构统一社会信用代码',
  mother: '母亲',
  father: '父亲',
  fatherAbsentReason: '父亲信息未提供原因',
  issueDate: '签发日期',
  issuer: '签发机构',
  'issuer.name': '签发机构名称',
  'issuer.creditCode': '签发机构统一社会信用代码',
  'issuer.divisionCode': '签发机构行政区划代码',
  // Registration-only items (kept by the issuer, never printed).
  deliveryId: '分娩记录标识',
  hospitalRecordNo: '住院病历号',
  midwifeName: '接生人员',
  lateEntryReason: '补录原因',
  multipleBirth: '胎数',
  birthOrder: '出生顺序',
  phone: '联系电话',
  marriageCertNo: '结婚证编号',
  paternityReportNo: '亲子鉴定证明编号',
  applicant: '领证人',
  'applicant.name': '领证人姓名',
  'applicant.relation': '领证人与新生儿关系',
  'applicant.idType': '领证人有效身份证件类别',
  'applicant.idNumber': '领证人有效身份证件号码',
  // Lifecycle and household registration.
  childIdNumber: '新生儿公民身份号码',
  registeredOn: '落户日期',
  policeUnit: '落户公安机关',
  registeredName: '登记姓名',
  householdPlace: '户籍地',
  'householdPlace.divisionCode': '户籍地行政区划代码',
  'householdPlace.address': '户籍地详细地址',
  caseNo: '户籍业务受理编号',
  motherIdNumber: '母亲有效身份证件号码',
  claimCode: '领取码',
  childRegistered: '是否已落户',
  note: '备注',
  // E-licence envelope (GB/T 36903 metadata).
  licence: '电子证照',
  'licence.id': '电子证照标识',
  'licence.name': '证照名称',
  'licence.typeCode': '证照类型代码',
  'licence.issuer': '证照颁发机构',
  'licence.issuer.name': '证照颁发机构名称',
  'licence.issuer.creditCode': '证照颁发机构代码',
  'licence.issuer.divisionCode': '证照颁发机构行政区划代码',
  'licence.issueDate': '颁证日期',
  'licence.validUntil': '有效期截止日期',
  'licence.holder': '持证主体',
  'licence.holder.name': '持证主体名称',
  'licence.version': '版本号',
  'licence.supersedes': '被替代证照',
  'licence.supersedes.licenceId': '被替代电子证照标识',
  'licence.supersedes.certificateNo': '被替代出生医学证明编号',
  certificate: '出生医学证明',
};

/** Items whose meaning depends on the request (the same field name in several bodies). */
const BY_SCHEMA: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  replacement: { reason: '换发原因', changes: '更正事项' },
  reissue: { reason: '补发原因' },
  void: { reason: '作废原因' },
  'auth-token': { username: '用户名', password: '密码' },
  'password-reset': { password: '密码' },
  verification: { qr: '二维码内容', signedJson: '签名电子证照' },
};

/** Prefixes under which a path means the same as without them (a replacement's partial certificate, a payload). */
const TRANSPARENT_PREFIXES = ['changes.', 'certificate.'];

function lookup(path: string): string | undefined {
  if (Object.hasOwn(ITEMS, path)) return ITEMS[path];
  const parent = /^(mother|father)\.([a-zA-Z]+)$/.exec(path);
  if (parent && Object.hasOwn(PARENT_ITEMS, parent[2]!)) {
    return (parent[1] === 'mother' ? '母亲' : '父亲') + PARENT_ITEMS[parent[2]!];
  }
  return undefined;
}

/** The Chinese item name for `path`, or undefined when the path is not a known item. */
export function itemName(path: string, schemaId?: string): string | undefined {
  const specific = schemaId && Object.hasOwn(BY_SCHEMA, schemaId) ? BY_SCHEMA[schemaId]! : undefined;
  if (specific && Object.hasOwn(specific, path)) return specific[path];
  const direct = lookup(path);
  if (direct !== undefined) return direct;
  for (const prefix of TRANSPARENT_PREFIXES) {
    if (path.startsWith(prefix)) return lookup(path.slice(prefix.length));
  }
  return undefined;
}
