/**
 * The CSO's published data-centre electricity figures as dcgrid knows them without the PxStat
 * table: read on cso.ie release pages ("Data Centres Metered Electricity Consumption", releases
 * for 2020 to 2024) or quoted from them in the press, each with its source and how sure it is
 * (see CSO_STATUSES). Figures from MEC02 replace these where both exist (mergeCsoFigures).
 * CSO data are CC BY 4.0 (Central Statistics Office, Ireland).
 */
import type { CsoFigureEntry } from './figures.js';

export const PUBLISHED_CSO_FIGURES: readonly CsoFigureEntry[] = [
  {
    year: 2015,
    quarter: null,
    metric: 'data_centre_share_of_total_metered_electricity',
    value: 5,
    unit: 'percent',
    status: 'published',
    sourceUrl:
      'https://www.cso.ie/en/releasesandpublications/ep/p-dcmec/datacentresmeteredelectricityconsumption2022/keyfindings/',
    note: 'CSO key findings (2020, 2022, 2023, 2024 releases all quote 5% for 2015)',
  },
  {
    year: 2016,
    quarter: null,
    metric: 'data_centre_share_of_total_metered_electricity',
    value: 6,
    unit: 'percent',
    status: 'published_in_press',
    sourceUrl:
      'https://www.independent.ie/news/environment/data-centres-use-more-electricity-than-all-rural-households-after-265pc-rise-in-consumption-41609860.html',
    note: 'Irish Independent 2022-05-03 quoting CSO 2021 release',
  },
  {
    year: 2017,
    quarter: null,
    metric: 'data_centre_share_of_total_metered_electricity',
    value: 7,
    unit: 'percent',
    status: 'inferred_from_press',
    sourceUrl:
      'https://www.independent.ie/news/environment/data-centres-use-more-electricity-than-all-rural-households-after-265pc-rise-in-consumption-41609860.html',
    note: "text: 'grew to 6pc in 2016 and by a further percentage point each year until it jumped to 11pc in 2020'",
  },
  {
    year: 2018,
    quarter: null,
    metric: 'data_centre_share_of_total_metered_electricity',
    value: 8,
    unit: 'percent',
    status: 'inferred_from_press',
    sourceUrl:
      'https://www.independent.ie/news/environment/data-centres-use-more-electricity-than-all-rural-households-after-265pc-rise-in-consumption-41609860.html',
    note: 'same sentence as 2017; verify against CSO MEC02',
  },
  {
    year: 2019,
    quarter: null,
    metric: 'data_centre_share_of_total_metered_electricity',
    value: 9,
    unit: 'percent',
    status: 'inferred_from_press',
    sourceUrl:
      'https://www.independent.ie/news/environment/data-centres-use-more-electricity-than-all-rural-households-after-265pc-rise-in-consumption-41609860.html',
    note: 'same sentence as 2017; verify against CSO MEC02',
  },
  {
    year: 2020,
    quarter: null,
    metric: 'data_centre_share_of_total_metered_electricity',
    value: 11,
    unit: 'percent',
    status: 'published',
    sourceUrl:
      'https://www.cso.ie/en/releasesandpublications/ep/p-dcmec/datacentresmeteredelectricityconsumption2020/keyfindings/',
    note: '',
  },
  {
    year: 2021,
    quarter: null,
    metric: 'data_centre_share_of_total_metered_electricity',
    value: 14,
    unit: 'percent',
    status: 'published_in_press',
    sourceUrl:
      'https://www.independent.ie/news/environment/data-centres-use-more-electricity-than-all-rural-households-after-265pc-rise-in-consumption-41609860.html',
    note: 'CSO 2021 release via Irish Independent',
  },
  {
    year: 2022,
    quarter: null,
    metric: 'data_centre_share_of_total_metered_electricity',
    value: 18,
    unit: 'percent',
    status: 'published',
    sourceUrl:
      'https://www.cso.ie/en/releasesandpublications/ep/p-dcmec/datacentresmeteredelectricityconsumption2022/keyfindings/',
    note: '',
  },
  {
    year: 2023,
    quarter: null,
    metric: 'data_centre_share_of_total_metered_electricity',
    value: 21,
    unit: 'percent',
    status: 'published_in_press',
    sourceUrl:
      'https://irishtimes.com/business/2024/07/23/electricity-consumption-by-data-centres-rises-to-21-eclipsing-urban-households',
    note: 'CSO 2023 release (23 Jul 2024) via Irish Times',
  },
  {
    year: 2024,
    quarter: null,
    metric: 'data_centre_share_of_total_metered_electricity',
    value: 22,
    unit: 'percent',
    status: 'published_in_press',
    sourceUrl:
      'https://irishtimes-irishtimes-prod.web.arc-cdn.net/environment/2025/06/10/data-centres-accounted-for-more-than-fifth-of-irelands-electricity-usage-last-year',
    note: 'CSO 2024 release (Jun 2025) via Irish Times',
  },
  {
    year: 2025,
    quarter: null,
    metric: 'data_centre_share_of_total_metered_electricity',
    value: 23,
    unit: 'percent',
    status: 'secondary_unverified',
    sourceUrl:
      'https://www.cso.ie/en/releasesandpublications/ep/p-dcmec/datacentresmeteredelectricityconsumption2025/keyfindings/',
    note: 'only seen quoted in third-party GitHub docs citing the CSO 2025 release (7 Jul 2026); page itself not read',
  },
  {
    year: 2015,
    quarter: null,
    metric: 'data_centre_consumption',
    value: 1238,
    unit: 'GWh',
    status: 'published_in_press',
    sourceUrl:
      'https://www.energylivenews.com/2024/07/28/data-centres-now-consume-over-a-fifth-of-irelands-electricity/',
    note: 'quoting CSO 2023 release; later releases may revise',
  },
  {
    year: 2020,
    quarter: null,
    metric: 'data_centre_consumption',
    value: 3021,
    unit: 'GWh',
    status: 'derived',
    sourceUrl:
      'https://www.cso.ie/en/releasesandpublications/ep/p-dcmec/datacentresmeteredelectricityconsumption2020/keyfindings/',
    note: "= 1238 (2015) + 1783 ('increase of 1,783 GWh between 2015 and 2020'); mixes releases, approximate",
  },
  {
    year: 2022,
    quarter: null,
    metric: 'data_centre_consumption',
    value: 5254,
    unit: 'GWh',
    status: 'derived',
    sourceUrl:
      'https://www.cso.ie/en/releasesandpublications/ep/p-dcmec/datacentresmeteredelectricityconsumption2022/keyfindings/',
    note: "= 1238 (2015) + 4016 ('increase of 4,016 GWh between 2015 and 2022'); approximate",
  },
  {
    year: 2023,
    quarter: null,
    metric: 'data_centre_consumption',
    value: 6334,
    unit: 'GWh',
    status: 'published_in_press',
    sourceUrl:
      'https://www.energylivenews.com/2024/07/28/data-centres-now-consume-over-a-fifth-of-irelands-electricity/',
    note: 'Irish Times (Jun 2025) quotes 6,335 GWh for 2023 from the 2024 release',
  },
  {
    year: 2024,
    quarter: null,
    metric: 'data_centre_consumption',
    value: 6969,
    unit: 'GWh',
    status: 'published_in_press',
    sourceUrl:
      'https://irishtimes-irishtimes-prod.web.arc-cdn.net/environment/2025/06/10/data-centres-accounted-for-more-than-fifth-of-irelands-electricity-usage-last-year',
    note: 'CSO 2024 release; a third-party GitHub doc quotes a revised 6,973 GWh from the 2025 release',
  },
  {
    year: 2025,
    quarter: null,
    metric: 'data_centre_consumption',
    value: 7663,
    unit: 'GWh',
    status: 'secondary_unverified',
    sourceUrl:
      'https://www.cso.ie/en/releasesandpublications/ep/p-dcmec/datacentresmeteredelectricityconsumption2025/keyfindings/',
    note: 'only seen in a third-party GitHub doc citing CSO 2025 release Table 1',
  },
  {
    year: 2015,
    quarter: 1,
    metric: 'data_centre_consumption',
    value: 290,
    unit: 'GWh',
    status: 'published',
    sourceUrl:
      'https://www.cso.ie/en/releasesandpublications/ep/p-dcmec/datacentresmeteredelectricityconsumption2020/keyfindings/',
    note: '',
  },
  {
    year: 2020,
    quarter: 4,
    metric: 'data_centre_consumption',
    value: 849,
    unit: 'GWh',
    status: 'published',
    sourceUrl:
      'https://www.cso.ie/en/releasesandpublications/ep/p-dcmec/datacentresmeteredelectricityconsumption2020/keyfindings/',
    note: '',
  },
  {
    year: 2021,
    quarter: 4,
    metric: 'data_centre_consumption',
    value: 1058,
    unit: 'GWh',
    status: 'published_in_press',
    sourceUrl:
      'https://www.independent.ie/news/environment/data-centres-use-more-electricity-than-all-rural-households-after-265pc-rise-in-consumption-41609860.html',
    note: '',
  },
  {
    year: 2022,
    quarter: 4,
    metric: 'data_centre_consumption',
    value: 1450,
    unit: 'GWh',
    status: 'published',
    sourceUrl:
      'https://www.cso.ie/en/releasesandpublications/ep/p-dcmec/datacentresmeteredelectricityconsumption2022/keyfindings/',
    note: '',
  },
  {
    year: 2023,
    quarter: 4,
    metric: 'data_centre_consumption',
    value: 1661,
    unit: 'GWh',
    status: 'published_in_press',
    sourceUrl:
      'https://irishtimes.com/business/2024/07/23/electricity-consumption-by-data-centres-rises-to-21-eclipsing-urban-households',
    note: '',
  },
  {
    year: 2024,
    quarter: 4,
    metric: 'data_centre_consumption',
    value: 1829,
    unit: 'GWh',
    status: 'published_in_press',
    sourceUrl:
      'https://irishtimes-irishtimes-prod.web.arc-cdn.net/environment/2025/06/10/data-centres-accounted-for-more-than-fifth-of-irelands-electricity-usage-last-year',
    note: '',
  },
  {
    year: 2015,
    quarter: null,
    metric: 'total_metered_electricity_consumption',
    value: 24600,
    unit: 'GWh',
    status: 'derived',
    sourceUrl:
      'https://www.cso.ie/en/releasesandpublications/ep/p-dcmec/datacentresmeteredelectricityconsumption2022/keyfindings/',
    note: "= 29500 (2022) - 4900 ('increased by 20% or 4,900 GWh between 2015 and 2022')",
  },
  {
    year: 2022,
    quarter: null,
    metric: 'total_metered_electricity_consumption',
    value: 29500,
    unit: 'GWh',
    status: 'published',
    sourceUrl:
      'https://www.cso.ie/en/releasesandpublications/ep/p-dcmec/datacentresmeteredelectricityconsumption2022/keyfindings/',
    note: '',
  },
  {
    year: 2023,
    quarter: null,
    metric: 'total_metered_electricity_consumption',
    value: 30600,
    unit: 'GWh',
    status: 'published_in_press',
    sourceUrl: 'https://socialjustice.ie/article/metered-electricity-consumption-2023',
    note: 'CSO Metered Electricity Consumption 2023',
  },
  {
    year: 2024,
    quarter: null,
    metric: 'total_metered_electricity_consumption',
    value: 31900,
    unit: 'GWh',
    status: 'published_in_press',
    sourceUrl:
      'https://irishtimes-irishtimes-prod.web.arc-cdn.net/environment/2025/06/10/data-centres-accounted-for-more-than-fifth-of-irelands-electricity-usage-last-year',
    note: '',
  },
  {
    year: 2023,
    quarter: null,
    metric: 'large_energy_users_consumption',
    value: 9102,
    unit: 'GWh',
    status: 'published_in_press',
    sourceUrl:
      'https://irishtimes.com/business/2024/07/23/electricity-consumption-by-data-centres-rises-to-21-eclipsing-urban-households',
    note: '30% of total metered; includes the largest data centres',
  },
  {
    year: 2024,
    quarter: null,
    metric: 'large_energy_users_consumption',
    value: 9897,
    unit: 'GWh',
    status: 'published_in_press',
    sourceUrl:
      'https://irishtimes-irishtimes-prod.web.arc-cdn.net/environment/2025/06/10/data-centres-accounted-for-more-than-fifth-of-irelands-electricity-usage-last-year',
    note: '31% of total metered',
  },
];
