import type { HealthCode } from '../certificate.ts';

/** The certificate's newborn health status (健康状况). */
export const HEALTH_CODES: Readonly<Record<HealthCode, string>> = { '1': '良好', '2': '一般', '3': '差' };

export const isHealthCode = (code: string): code is HealthCode => Object.hasOwn(HEALTH_CODES, code);

export const healthText = (code: HealthCode): string => HEALTH_CODES[code];
