export type * from './bodies.ts';
export { runSemanticRules } from './body-rules.ts';
export type { RuleContext } from './context.ts';
export { Findings, fieldDetail } from './detail.ts';
