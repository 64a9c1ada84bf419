import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateBodyTypes, OUTPUT } from '../../scripts/generate-body-types.ts';

/** The request body types are generated from schemas/*.schema.json; the committed file must be what the generator makes now. */
describe('src/domain/rules/request-bodies.generated.ts', () => {
  it('is what `npm run gen:types` makes from the schemas today', () => {
    expect(readFileSync(OUTPUT, 'utf8'), 'stale: run `npm run gen:types` and commit the result').toBe(
      generateBodyTypes(),
    );
  });
});
