import type { RefusalReason } from '../domain/accounts/identity.ts';
import type { Lang } from './messages.ts';

/**
 * Texts of sign-in through the identity providers, Chinese first. The parents' pages speak both
 * languages (English has the same keys, the type says so); the console's texts are Chinese only.
 */
const zh = {
  'oidc.apply.title': '通过政务服务平台实人认证申领',
  'oidc.apply.intro':
    '无需输入母亲身份证件号码：在政务服务平台完成实人认证后，本系统核对认证的身份证件号码与母亲（或申请人）的是否一致。',
  'oidc.apply.submit': '使用政务服务平台登录',
  'oidc.apply.verified': '已通过政务服务平台实人认证，请填写以下申领信息。',
  'oidc.apply.verifiedExpired': '实人认证已失效，请重新登录。',
  'oidc.my.title': '通过政务服务平台实人认证领取',
  'oidc.my.intro': '无需领取码：在政务服务平台完成实人认证后，本系统核对认证的身份证件号码是否为证上母亲的。',
  'oidc.my.submit': '使用政务服务平台登录',
  'oidc.code.missing': '请填写申领码。',
  'oidc.certificateNo.missing': '请填写出生医学证明编号。',
  'oidc.continue.title': '正在进入',
  'oidc.continue.body': '已通过认证，正在进入。如页面没有自动跳转，请点击下方链接。',
  'oidc.continue.link': '继续',
  'oidc.refused.title': '未能通过政务服务平台登录',
  'oidc.refused.back': '返回',
  'oidc.refused.home': '回到首页',
  'oidc.refused.state': '此次登录不是从本浏览器发起的，或已使用过。请回到页面重新点击“使用政务服务平台登录”。',
  'oidc.refused.expired': '登录用时过长，已失效。请回到页面重新登录。',
  'oidc.refused.provider': '政务服务平台未确认此次登录（认证被取消或返回的信息无法验证）。请重新登录。',
  'oidc.refused.unavailable': '暂时无法连接政务服务平台，请稍后再试，或使用申领码和身份证件号码办理。',
  'oidc.refused.acr': '此次认证的等级不足：本业务需要在政务服务平台完成实人认证（人脸核验）后办理。',
  'oidc.refused.id-number.apply': '实人认证的身份证件号码与此申领码登记的母亲（或申请人）的不一致，不能办理。',
  'oidc.refused.id-number.my': '实人认证的身份证件号码与此出生医学证明上母亲的不一致，不能领取。',
  'oidc.refused.not-found.apply': '申领码不正确，或已被锁定。请核对出院材料上的申领码。',
  'oidc.refused.not-found.my': '没有此编号的出生医学证明，请核对编号。',
} as const;

export type OidcKey = keyof typeof zh;

const en: Record<OidcKey, string> = {
  'oidc.apply.title': "Apply with the government platform's real-person check",
  'oidc.apply.intro':
    "No need to type the mother's ID number: after the government platform's real-person check, the service compares the verified ID number with the mother's (or the applicant's).",
  'oidc.apply.submit': 'Sign in with the government platform',
  'oidc.apply.verified': 'Verified by the government platform: fill in the application below.',
  'oidc.apply.verifiedExpired': 'The verification is over: sign in again.',
  'oidc.my.title': "Open it with the government platform's real-person check",
  'oidc.my.intro':
    "No claim code needed: after the government platform's real-person check, the service compares the verified ID number with the mother's on the certificate.",
  'oidc.my.submit': 'Sign in with the government platform',
  'oidc.code.missing': 'Enter the application code.',
  'oidc.certificateNo.missing': 'Enter the certificate number.',
  'oidc.continue.title': 'Signing you in',
  'oidc.continue.body': 'Verified. If the page does not move on by itself, follow the link below.',
  'oidc.continue.link': 'Continue',
  'oidc.refused.title': 'The government platform sign-in did not succeed',
  'oidc.refused.back': 'Back',
  'oidc.refused.home': 'Home',
  'oidc.refused.state':
    'This sign-in was not started in this browser, or was used already. Go back and press "Sign in with the government platform" again.',
  'oidc.refused.expired': 'The sign-in took too long and is over. Go back and sign in again.',
  'oidc.refused.provider':
    'The government platform did not confirm the sign-in (it was cancelled, or its answer could not be verified). Sign in again.',
  'oidc.refused.unavailable':
    'The government platform cannot be reached now. Try later, or use the code and the ID number instead.',
  'oidc.refused.acr':
    "The check was not strong enough: this needs the government platform's real-person check (face check).",
  'oidc.refused.id-number.apply':
    "The verified ID number is not the mother's (or the applicant's) registered with this application code.",
  'oidc.refused.id-number.my': "The verified ID number is not the mother's on this birth certificate.",
  'oidc.refused.not-found.apply': 'The application code is wrong or locked. Check it on the discharge papers.',
  'oidc.refused.not-found.my': 'There is no birth certificate with this number. Check the number.',
};

const catalogue: Record<Lang, Record<OidcKey, string>> = { 'zh-CN': zh, en };

export const oidcT = (lang: Lang) => (key: OidcKey) => catalogue[lang][key];

/** The console's texts (Chinese only, like the rest of the console). */
export const consoleOidc = {
  button: '使用卫生健康委统一身份认证登录',
  intro: '已在卫生健康委统一身份认证平台开通账户的工作人员，可直接通过该平台登录；角色和所属机构以本系统账户为准。',
  refusedTitle: '未能通过统一身份认证登录',
  back: '返回登录页',
  continueTitle: '正在进入工作台',
  continueBody: '已通过认证，正在进入工作台。如页面没有自动跳转，请点击下方链接。',
  continueLink: '进入工作台',
  refused: {
    state: '此次登录不是从本浏览器发起的，或已使用过。请回到登录页重新登录。',
    expired: '登录用时过长，已失效。请回到登录页重新登录。',
    provider: '统一身份认证平台未确认此次登录（认证被取消或返回的信息无法验证）。请重新登录。',
    unavailable: '暂时无法连接统一身份认证平台，请稍后再试，或使用用户名和密码登录。',
    acr: '此次认证的等级不足，不能登录工作台。请按平台要求完成更高等级的认证后再试。',
    'id-number': '身份信息不一致，不能登录。',
    unlinked: '此统一身份认证账户尚未关联本系统的工作人员账户。请联系系统管理员办理关联。',
    disabled: '关联的工作人员账户已停用，不能登录。请联系系统管理员。',
    'not-found': '找不到关联的账户。',
  } satisfies Record<RefusalReason, string>,
};

/** The page text of a refused parents' sign-in. */
export function citizenRefusalKey(reason: RefusalReason, purpose: 'apply' | 'my' | null): OidcKey {
  switch (reason) {
    case 'id-number':
      return purpose === 'my' ? 'oidc.refused.id-number.my' : 'oidc.refused.id-number.apply';
    case 'not-found':
      return purpose === 'my' ? 'oidc.refused.not-found.my' : 'oidc.refused.not-found.apply';
    case 'state':
    case 'expired':
    case 'provider':
    case 'unavailable':
    case 'acr':
      return `oidc.refused.${reason}`;
    default:
      return 'oidc.refused.provider';
  }
}
