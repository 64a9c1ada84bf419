import type { CountryDirectory } from '../codes/countries.ts';
import type { DivisionDirectory, GlyphCoverage } from '../ports.ts';

/** What the semantic rules may consult: an injected clock reading and the code directories. */
export interface RuleContext {
  now: Date;
  divisions: DivisionDirectory;
  countries: CountryDirectory;
  /** When given, printed text must be drawable by the PDF's embedded fonts. */
  glyphs?: GlyphCoverage;
}
