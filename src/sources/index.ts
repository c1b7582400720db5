/** Every source adapter, in precedence-independent reading order. Formats: docs/sources/. */
import { csoSource } from './cso/index.js';
import { dashboardSource } from './dashboard/index.js';
import { eirgridWorkbookSource } from './eirgrid-workbook/index.js';
import { emberSource } from './ember/index.js';
import { semopxSource } from './semopx/index.js';
import { telemetrySource } from './telemetry/index.js';
import type { Observation, SourceAdapter } from './types.js';

/** Time-series sources found in a raw folder (telemetry is the user's own file, given explicitly). */
export const TIME_SERIES_SOURCES: readonly SourceAdapter<Observation>[] = [
  eirgridWorkbookSource,
  dashboardSource,
  semopxSource,
  emberSource,
];

export { csoSource, telemetrySource };
export { mergeCsoFigures, PUBLISHED_CSO_FIGURES } from './cso/index.js';
