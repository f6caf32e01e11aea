/**
 * The caller's area, and so their local team, the way a provincial platform can find it:
 * 1. the number the carrier says was called: Chinese carriers route 12355 by area code, so the
 *    called number a provincial platform receives (the dialled number itself, or a carrier header
 *    with the original called number) often carries the area of the caller: 020-12355 is Guangzhou;
 * 2. the caller's own number: a fixed line's area code (0755... is Shenzhen), or a mobile number's
 *    home area (号码归属地) from its segment (the first 7 digits);
 * 3. the team of the line dialled (`queue.lineTeams`);
 * 4. else the province as a whole: the fallback team (none: any team at once).
 * The carrier comes first because it tells where the caller is now; a mobile number's home area
 * says where the phone was registered, which a roaming caller has left.
 *
 * Pure: the table of prefixes is built at start from the config and a phone-number data set.
 */

export type AreaSource = 'carrier' | 'caller-number' | 'line' | 'province';

export interface AreaTable {
  /**
   * National number prefixes (no country code, no trunk 0) → team: fixed-line area codes
   * ('20' Guangzhou, '755' Shenzhen) and mobile segments ('1351000').
   */
  prefixes: ReadonlyMap<string, string>;
  /** The hotline's own numbers (12355, 123550): what is left of a called number once its area code is off. */
  hotlineNumbers: readonly string[];
  /** Team of a line's callers when nothing better is known. */
  lineTeams: Readonly<Record<string, string>>;
  /** Team of a caller whose area is not found; null: no local team, any team may answer at once. */
  fallbackTeam: string | null;
}

/** What we know of a new call, in hotline terms. */
export interface CallOrigin {
  /** The caller's number as presented (may be empty or withheld). */
  callerNumber: string;
  /** The number dialled as received (DNID), possibly with an area code in front. */
  dialled: string;
  /** Numbers the carrier says were called (original called party, diversion), most telling first. */
  carrierCalled: readonly string[];
  /** Line id the call came in on. */
  line: string;
}

export interface CallerArea {
  /** The caller's local team; null when any team may take them at once. */
  team: string | null;
  source: AreaSource;
  /**
   * The area code that decided it, with its 0 ('020'): from the called number or a fixed line.
   * Never a mobile segment: seven digits of a caller's number are more than a log may keep.
   */
  areaCode?: string;
}

/** Longest prefix first: mobile segments have 7 digits, area codes 2 or 3. */
const MAX_PREFIX = 7;

/**
 * The national significant number of a Chinese number as presented: digits only, without the
 * country code (+86, 0086, 86 before a full-length number) and without the trunk 0 of a fixed
 * line. '' when nothing is left.
 */
export function nationalNumber(raw: string): string {
  let digits = raw.replace(/[^0-9]/g, '');
  if (raw.trim().startsWith('+86') || digits.startsWith('0086')) digits = digits.slice(raw.trim().startsWith('+') ? 2 : 4);
  // A bare 86 is a country code only in front of a full national number (mobile 11 digits, fixed 9 to 11 with the 0 off).
  else if (digits.startsWith('86') && digits.length >= 11) digits = digits.slice(2);
  // The trunk 0 of a fixed line (020..., 0755...); a second 0 would be an international prefix, left as is.
  if (digits.startsWith('0') && !digits.startsWith('00')) digits = digits.slice(1);
  return digits;
}

/** Whether a national number is a mobile number (11 digits, 13x to 19x). */
export function isMobile(national: string): boolean {
  return /^1[3-9][0-9]{9}$/.test(national);
}

/** The area code of a fixed-line national number: 2 digits for 10 and 20-29 (Beijing, Guangzhou, ...), else 3. */
export function areaCodeOf(national: string): string | null {
  if (!/^[1-9][0-9]{6,10}$/.test(national) || isMobile(national)) return null;
  const code = /^(10|2[0-9])/.test(national) ? national.slice(0, 2) : national.slice(0, 3);
  return isAreaCode(code) ? code : null;
}

/**
 * Whether digits are a fixed-line area code without its 0: 10 and 20-29 (two digits), else three
 * digits from 3 to 9. Mobile segments (13x-19x) share the prefix table, so a called number must
 * pass this before the table is asked, or '135' would read as an area.
 */
export function isAreaCode(code: string): boolean {
  return /^(10|2[0-9]|[3-9][0-9]{2})$/.test(code);
}

/** The team of the longest table prefix of `national` (7 digits down to 2), with that prefix. */
function longestPrefix(national: string, table: Pick<AreaTable, 'prefixes'>): { team: string; prefix: string } | null {
  for (let n = Math.min(MAX_PREFIX, national.length); n >= 2; n--) {
    const prefix = national.slice(0, n);
    const team = table.prefixes.get(prefix);
    if (team !== undefined) return { team, prefix };
  }
  return null;
}

/**
 * The area a called number tells: `<area code><hotline number>` (020-12355, +86 755 123550) or a
 * bare area code (0755), the area code being one the table knows. A hotline number alone tells nothing.
 */
export function areaOfCalled(raw: string, table: Pick<AreaTable, 'prefixes' | 'hotlineNumbers'>): { team: string; prefix: string } | null {
  const national = nationalNumber(raw);
  if (national === '') return null;
  // The whole number (a bare area code), or what is left once a hotline number is taken off its end.
  const candidates = [national];
  for (const number of table.hotlineNumbers) {
    if (national.length > number.length && national.endsWith(number)) candidates.push(national.slice(0, -number.length));
  }
  for (const code of candidates) {
    if (!isAreaCode(code)) continue;
    const team = table.prefixes.get(code);
    if (team !== undefined) return { team, prefix: code };
  }
  return null;
}

/** The hotline number dialled, without the area code a carrier put in front of it (075512355 → 12355). */
export function localHotlineNumber(dialled: string, table: Pick<AreaTable, 'prefixes' | 'hotlineNumbers'>): string {
  const national = nationalNumber(dialled);
  // Longest first: 0755-123550 is the exam line, not 12355 after an area code 7550 nobody has.
  const byLength = [...table.hotlineNumbers].sort((a, b) => b.length - a.length);
  for (const number of byLength) {
    if (national.length <= number.length || !national.endsWith(number)) continue;
    const code = national.slice(0, -number.length);
    if (isAreaCode(code) && table.prefixes.has(code)) return number;
  }
  return dialled;
}

/** The area of the caller's own number: a fixed line's area code, or a mobile segment's home area. */
export function areaOfCallerNumber(raw: string, table: Pick<AreaTable, 'prefixes'>): { team: string; prefix: string; mobile: boolean } | null {
  const national = nationalNumber(raw);
  if (isMobile(national)) {
    const found = longestPrefix(national, table);
    return found && { ...found, mobile: true };
  }
  const code = areaCodeOf(national);
  if (code === null) return null;
  const team = table.prefixes.get(code);
  return team === undefined ? null : { team, prefix: code, mobile: false };
}

/** Decides the caller's area and local team (see the module comment for the order). */
export function findCallerArea(origin: CallOrigin, table: AreaTable): CallerArea {
  for (const called of [...origin.carrierCalled, origin.dialled]) {
    const found = areaOfCalled(called, table);
    if (found) return { team: found.team, source: 'carrier', areaCode: `0${found.prefix}` };
  }
  const own = areaOfCallerNumber(origin.callerNumber, table);
  if (own) return { team: own.team, source: 'caller-number', ...(own.mobile ? {} : { areaCode: `0${own.prefix}` }) };
  const lineTeam = table.lineTeams[origin.line];
  if (lineTeam !== undefined) return { team: lineTeam, source: 'line' };
  return { team: table.fallbackTeam, source: 'province' };
}
