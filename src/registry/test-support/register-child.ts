/**
 * A training process for the kill -9 tests: it starts a run on the database at DCGRID_TEST_DB_URL,
 * logs a few training steps and then, with CHILD_MODE=train, prints "TRAINING <runId>" and waits;
 * with CHILD_MODE=register, it registers a model version into ARTIFACT_URI (file:// or s3:// with
 * the S3_* / AWS_* settings) and prints "UPLOADING <runId> <version>" after the second file, then
 * waits there (a slow upload), so the test can kill it while the upload is in progress.
 */
import { loadConfig } from '../../config/config.js';
import { connectPostgres } from '../../store/postgres/connect.js';
import { EmbeddedTracker } from '../../tracking/embedded/tracker.js';
import { openRegistry } from '../open.js';
import { registration } from './fixtures.js';

const url = process.env.DCGRID_TEST_DB_URL;
if (url === undefined) throw new Error('DCGRID_TEST_DB_URL is not set');
const config = loadConfig(process.env, { dotenv: false });
const store = await connectPostgres(url);
const run = await new EmbeddedTracker(store).startRun({ experiment: 'dcgrid-IE', name: 'child training' });
await run.logMetrics(
  Array.from({ length: 10 }, (_, step) => ({
    key: 'train_loss',
    value: 1 / (step + 1),
    step,
    timestamp: Date.now(),
  })),
);
if (process.env.CHILD_MODE === 'train') {
  process.stdout.write(`TRAINING ${run.runId}\n`);
} else {
  const registry = openRegistry(config, store);
  await registry.registerModelVersion(
    registration({
      runId: run.runId,
      mase: 0.01,
      seed: 99,
      onFile: async (_name, index) => {
        if (index === 2) {
          const [version] = await registry.artifacts.listVersions({
            region: 'IE',
            target: 'dc_load_mw',
            model: 'xgb',
          });
          process.stdout.write(`UPLOADING ${run.runId} ${version?.version ?? 0}\n`);
          await new Promise((resolve) => setTimeout(resolve, 120_000));
        }
      },
    }),
  );
}
setInterval(() => undefined, 60_000);
