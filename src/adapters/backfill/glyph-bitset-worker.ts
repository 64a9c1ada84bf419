/**
 * Builds the fonts' coverage bit set (adapters/backfill/glyph-bitset.ts) on a thread of its own
 * and ends: the parsed faces (tens of MB) live and die with this thread, so the process that
 * asked (the back-issuance run) never holds them.
 */
import { parentPort } from 'node:worker_threads';
import { loadFonts } from '../pdf/index.ts';
import { glyphBitsetOf } from './glyph-bitset-of.ts';

parentPort?.postMessage(glyphBitsetOf(loadFonts()));
