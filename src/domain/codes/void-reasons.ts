/** Why a certificate number was voided (作废原因); the annual usage report counts each separately. */
export type VoidReason = 'PRINT_ERROR' | 'ENTRY_ERROR' | 'LOST_BLANK' | 'OTHER';

export const VOID_REASONS: Readonly<Record<VoidReason, string>> = {
  PRINT_ERROR: '打印错误',
  ENTRY_ERROR: '录入错误',
  LOST_BLANK: '空白证遗失',
  OTHER: '其他',
};

export const isVoidReason = (code: string): code is VoidReason => Object.hasOwn(VOID_REASONS, code);

export const voidReasonText = (code: VoidReason): string => VOID_REASONS[code];
