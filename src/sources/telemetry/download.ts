import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import type { DownloadOptions } from '../types.js';

/** Telemetry is the user's own metered data: there is nothing to download. */
export function downloadTelemetry(_options: DownloadOptions): Promise<string[]> {
  return Promise.reject(
    new DcgridError(
      ErrorCodes.NOT_FOUND,
      'data-centre telemetry cannot be downloaded: it is your own metered load. Supply it as a CSV file ' +
        '(columns timestamp, mw, optional site and region) in the raw folder under telemetry/ ' +
        '(see docs/sources/markets-and-cso.md)',
    ),
  );
}
