import { DomainError } from '../errors.ts';
import type { PasswordStrength } from './account.ts';

export const minPasswordLength = 12;
/** zxcvbn's 3: "safely unguessable", ~10^8–10^10 guesses — out of reach online, costly offline against scrypt. */
export const minPasswordScore = 3;

const weak = (message: string) =>
  new DomainError('WEAK_PASSWORD', `The password is refused: ${message}`, [{ path: 'password', message }]);

/**
 * A staff password: at least 12 characters that are not all spaces, not containing the username,
 * and scoring at least 3 in a strength estimate that knows the username and display name.
 * Messages never quote the password.
 */
export function checkNewPassword(
  password: string,
  account: { username: string; displayName?: string | null },
  strength: PasswordStrength,
): void {
  if ([...password].length < minPasswordLength) {
    throw weak(`password must have at least ${minPasswordLength} characters`);
  }
  if (password.trim().length === 0 || /^(.)\1*$/u.test(password)) {
    throw weak('password must not be one character repeated or only spaces');
  }
  const lower = password.toLowerCase();
  for (const part of [account.username, account.displayName ?? '']) {
    if (part.length >= 3 && lower.includes(part.toLowerCase())) {
      throw weak('password must not contain the username or the display name');
    }
  }
  const inputs = [account.username, ...(account.displayName ? [account.displayName] : [])];
  if (strength.score(password, inputs) < minPasswordScore) {
    throw weak(
      'password is too easy to guess (common words, names, dates or keyboard patterns); use a longer passphrase',
    );
  }
}
