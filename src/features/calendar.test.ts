import { describe, expect, it } from 'vitest';
import { irishCalendar, irishPublicHolidays } from './calendar.js';

const dates = (year: number) =>
  [...irishPublicHolidays(year)].sort((a, b) => a - b).map((d) => new Date(d).toISOString().slice(0, 10));

describe('Irish public holidays', () => {
  it('lists 2024 as gov.ie publishes it', () => {
    expect(dates(2024)).toEqual([
      '2024-01-01',
      '2024-02-05',
      '2024-03-17',
      '2024-03-18',
      '2024-04-01',
      '2024-05-06',
      '2024-06-03',
      '2024-08-05',
      '2024-10-28',
      '2024-12-25',
      '2024-12-26',
    ]);
  });

  it('handles St Brigid on a Friday, the 2022 one-off and weekend Christmas', () => {
    expect(dates(2030)).toContain('2030-02-01');
    expect(dates(2022)).toContain('2022-03-18');
    expect(dates(2022)).toContain('2022-12-27');
    expect(dates(2021)).toEqual(expect.arrayContaining(['2021-12-27', '2021-12-28']));
  });
});

describe('irishCalendar', () => {
  it('reads fields in Irish local time', () => {
    const summer = irishCalendar(Date.UTC(2024, 6, 1, 23)); // 00:00 IST on Tuesday 2 July
    expect(summer).toMatchObject({ hour: 0, dow: 1, month: 6, dst: true, holiday: false });
    const stPatrick = irishCalendar(Date.UTC(2024, 2, 18, 12));
    expect(stPatrick).toMatchObject({ hour: 12, dow: 0, holiday: true, dst: false });
  });
});
