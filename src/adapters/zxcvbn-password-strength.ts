import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import type { PasswordStrength } from '../domain/accounts/account.ts';

let factory: ZxcvbnFactory | null = null;

/**
 * zxcvbn-ts with its common (leaked-password, keyboard-graph) and English dictionaries. The
 * dictionaries take ~0.2 s to build, so the estimator is made on first use, not at start.
 * Only the score leaves this function: the password is never stored or logged.
 */
export const zxcvbnPasswordStrength: PasswordStrength = {
  score(password, userInputs) {
    factory ??= new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    });
    return factory.check(password, [...userInputs]).score;
  },
};
