export * from './birth-place-category.ts';
export * from './countries.ts';
export * from './display-text.ts';
export * from './ethnicity.ts';
export * from './health.ts';
export * from './id-types.ts';
export * from './sex.ts';
export * from './void-reasons.ts';
