/** How numbers and times read on the dashboard: UTC hours, units after values, missing as "–". */

export const MISSING = '–';

export function fmtNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return value.toLocaleString('en-IE', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtPercent(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return MISSING;
  return `${fmtNumber(share * 100, digits)} %`;
}

/** "2024-11-01 13:00 UTC" */
export function fmtHour(time: string | number | Date | null | undefined): string {
  if (time === null || time === undefined) return MISSING;
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return MISSING;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "3 h", "2 d 4 h": how long ago, from a reference time (the page's clock or the data's). */
export function fmtAge(fromMs: number, toMs: number): string {
  const hours = Math.round((toMs - fromMs) / 3_600_000);
  if (hours < 0) return `in ${fmtAge(toMs, fromMs)}`;
  if (hours < 48) return `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

export function parseTime(text: string): number {
  return new Date(text).getTime();
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** UTC tick labels, 24-hour clock: "14:00" inside a day, "3 Nov" at midnight, the year on 1 January. */
export function timeTickLabels(splits: readonly number[], spanSeconds: number): string[] {
  return splits.map((s) => {
    const d = new Date(s * 1000);
    const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
    const midnight = d.getUTCHours() === 0 && d.getUTCMinutes() === 0;
    if (midnight && d.getUTCDate() === 1 && d.getUTCMonth() === 0) return `${day} ${d.getUTCFullYear()}`;
    if (spanSeconds > 10 * 86_400 || midnight) return day;
    return `${String(d.getUTCHours()).padStart(2, '0')}:00`;
  });
}
