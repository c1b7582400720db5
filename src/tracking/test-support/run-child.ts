/**
 * A process that starts a tracked run on the database at DCGRID_TEST_DB_URL, logs a few training
 * steps, prints "READY <runId>" and waits, so a test can kill it (kill -9) or stop it (SIGTERM).
 * With CHILD_SIGNALS=1 it installs endRunOnSignal, as the CLI does for a training run.
 */
import { connectPostgres } from '../../store/postgres/connect.js';
import { EmbeddedTracker } from '../embedded/tracker.js';
import { endRunOnSignal } from '../signals.js';

const url = process.env.DCGRID_TEST_DB_URL;
if (url === undefined) throw new Error('DCGRID_TEST_DB_URL is not set');
const store = await connectPostgres(url);
const run = await new EmbeddedTracker(store).startRun({ experiment: 'dcgrid-IE', name: 'child training' });
if (process.env.CHILD_SIGNALS === '1') endRunOnSignal(run);
await run.logMetrics(
  Array.from({ length: 5 }, (_, step) => ({
    key: 'train_loss',
    value: 1 / (step + 1),
    step,
    timestamp: Date.now(),
  })),
);
process.stdout.write(`READY ${run.runId}\n`);
setInterval(() => undefined, 60_000);
