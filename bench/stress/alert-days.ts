/**
 * Days on which the Irish grid operator (EirGrid, through SEMO's market notices) issued a System
 * Alert (formerly "amber alert") for reduced margin between generation and demand, as published.
 * Sources are cited in docs/FEATURES.md ("Validation against the operator's alerts"); the keys
 * below name them. Dates are Irish local dates.
 */
export interface AlertDay {
  date: string;
  sources: string[];
  note: string;
}

export const ALERT_DAYS: readonly AlertDay[] = [
  {
    date: '2020-12-09',
    sources: ['pq-2021-11', 'wei-2021-01'],
    note: 'cold, Moneypoint/Whitegate/Tarbert unavailable',
  },
  {
    date: '2021-01-06',
    sources: ['pq-2021-11', 'it-2021-01-07'],
    note: 'cold, low wind, exports to GB, 16:00-18:05',
  },
  { date: '2021-05-17', sources: ['pq-2021-11'], note: 'reduced margin' },
  {
    date: '2021-09-06',
    sources: ['pq-2021-11', 'bp-2021-09-12', 'it-2021-09-09'],
    note: 'low wind, Huntstown and Whitegate out',
  },
  {
    date: '2021-09-09',
    sources: ['pq-2021-11', 'bp-2021-09-12', 'it-2021-09-09'],
    note: 'low wind, Tarbert units out, EWIC limited',
  },
  { date: '2021-10-28', sources: ['pq-2021-11', 'bp-2021-10-28'], note: 'wind dropped, issued 16:35' },
  {
    date: '2022-04-09',
    sources: ['rk-2022-04-11'],
    note: 'Saturday: Huntstown trip, flat calm, EWIC on maintenance',
  },
  {
    date: '2022-08-09',
    sources: ['ie-2022-08-09', 'it-2022-08-10'],
    note: 'low wind, limited imports, forced outages',
  },
  { date: '2022-08-10', sources: ['it-2022-08-10', 'tj-2022-08-10'], note: 'second day running' },
];

/** Published alerts that were not about margin; listed so that they are not mistaken for omissions. */
export const EXCLUDED_ALERT_DAYS: readonly AlertDay[] = [
  {
    date: '2021-04-13',
    sources: ['pq-2021-11'],
    note: 'control-centre systems failed during back-up testing',
  },
];
