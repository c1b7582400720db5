/**
 * TFT benchmark: training-step time of src/models/tft on the wasm backend against the same
 * architecture in PyTorch (bench/tft/reference_tft.py, Debian's python3-torch), seconds per epoch
 * on two years of hourly data, peak RSS; optionally a full default training run and
 * component-level before/after figures for the tuned pieces.
 *
 *   npx tsx bench/tft.ts [--hours 17520] [--extra 7] [--steps 5] [--hidden H] [--heads N]
 *                        [--components] [--train] [--no-torch]
 *
 * Timings are wall seconds and process CPU seconds; on a shared machine the CPU figures are the
 * steadier ones. Both sides run single-threaded (wasm without threads, torch with 1 thread here).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { Adam } from '../src/models/tft/adam.js';
import { averagedCausalAttention, causalMask } from '../src/models/tft/attention.js';
import { useWasmBackend } from '../src/models/tft/backend.js';
import { hyperParamsSchema } from '../src/models/tft/config.js';
import { dense } from '../src/models/tft/dense.js';
import {
  buildBatch,
  columnStats,
  decoderVariables,
  encoderVariables,
  prepareSeries,
  staticVariables,
  type FeatureSettings,
} from '../src/models/tft/features.js';
import { tftFactory } from '../src/models/tft/index.js';
import { pinballLoss } from '../src/models/tft/loss.js';
import { encoderDecoderLstm } from '../src/models/tft/lstm.js';
import { referenceEncoderDecoderLstm } from '../src/models/tft/lstm-reference.js';
import { LayerNorm } from '../src/models/tft/layers.js';
import { TftNetwork } from '../src/models/tft/network.js';
import { ParameterStore } from '../src/models/tft/parameters.js';
import { Rng } from '../src/models/tft/random.js';
import { sliceFrame, syntheticFrame } from '../src/models/tft/synthetic.js';
import type { HourlyFrame } from '../src/models/types.js';
import { planWindows, toInputs } from '../src/models/tft/training.js';
import { inputWidth, type VariableSpec } from '../src/models/tft/vsn.js';

const PYTHON = '/usr/bin/python3';
const REFERENCE_SCRIPT = fileURLToPath(new URL('./tft/reference_tft.py', import.meta.url));
const BATCH = 64;
const ENCODER = 168;
const HORIZON = 168;
const QUANTILES = [0.1, 0.5, 0.9];
const VALIDATION_HOURS = 14 * 24;

function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? Number(process.argv[i + 1]) : fallback;
}

interface Timing {
  wall: number;
  cpu: number;
}

function timed(run: () => void): Timing {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  run();
  const cpu = process.cpuUsage(cpu0);
  return { wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function summary(timings: Timing[]): { wall: number; cpu: number; wallMin: number; cpuMin: number } {
  return {
    wall: median(timings.map((t) => t.wall)),
    cpu: median(timings.map((t) => t.cpu)),
    wallMin: Math.min(...timings.map((t) => t.wall)),
    cpuMin: Math.min(...timings.map((t) => t.cpu)),
  };
}

const fmt = (x: number, digits = 2) => x.toFixed(digits);

async function main(): Promise<void> {
  await useWasmBackend();
  const defaults = hyperParamsSchema.parse({});
  const hidden = option('hidden', defaults.hiddenSize);
  const heads = option('heads', defaults.attentionHeads);
  const hours = option('hours', 17_520);
  const extra = option('extra', 7);
  const steps = option('steps', 5);
  console.log(
    `TFT bench: ${hours} h synthetic frame, target + ${extra} past columns, encoder ${ENCODER}, horizon ${HORIZON}, ` +
      `hidden ${hidden}, heads ${heads}, batch ${BATCH}, dropout ${defaults.dropout}`,
  );
  console.log(
    `backend ${tf.getBackend()}, SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, node ${process.version}`,
  );

  const frame = syntheticFrame({ hours, extraColumns: extra, seed: 1, missingRate: 0.01 });
  const pastColumns = Object.keys(frame.columns).filter((name) => name !== 'dc_load_mw');
  const validationFrom = hours - VALIDATION_HOURS;
  const settings: FeatureSettings = {
    target: 'dc_load_mw',
    region: 'IE',
    pastColumns,
    encoderLength: ENCODER,
    horizon: HORIZON,
    normalisation: {
      target: columnStats(frame.columns.dc_load_mw!, validationFrom),
      past: Object.fromEntries(
        pastColumns.map((name) => [name, columnStats(frame.columns[name]!, validationFrom)]),
      ),
    },
    seasonalLags: defaults.seasonalLags,
    festive: defaults.festive,
    targetScaling: defaults.targetScaling,
    ...(defaults.levelHours !== undefined ? { levelHours: defaults.levelHours } : {}),
  };
  const series = prepareSeries(frame, settings);
  const plan = planWindows(
    series,
    settings,
    VALIDATION_HOURS,
    defaults.windowStride,
    defaults.validationStride,
  );
  const shape = {
    hiddenSize: hidden,
    attentionHeads: heads,
    encoderLength: ENCODER,
    horizon: HORIZON,
    quantileCount: QUANTILES.length,
    staticVariables: staticVariables(),
    encoderVariables: encoderVariables(pastColumns, settings),
    decoderVariables: decoderVariables(settings),
  };
  const store = new ParameterStore(new Rng(1));
  const network = new TftNetwork(store, shape);
  const variables = store.list();
  const optimizer = new Adam(variables, {
    learningRate: defaults.learningRate,
    clipNorm: defaults.gradientClipNorm,
  });
  const run = { training: true, dropout: defaults.dropout, rng: new Rng(2) };
  const arrays = buildBatch(series, settings, {
    origins: plan.trainOrigins.slice(0, BATCH),
    withTargets: true,
  });
  const inputs = toInputs(arrays, network);
  const targets = tf.tensor2d(arrays.targets!, [BATCH, HORIZON]);
  const mask = tf.tensor2d(arrays.mask!, [BATCH, HORIZON]);
  const step = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => pinballLoss(network.apply(inputs, run).quantiles, targets, mask, QUANTILES),
        variables,
      );
      optimizer.step(variables.map((variable) => grads[variable.name]!));
      value.dataSync();
    });
  const forwardOnly = () =>
    tf.tidy(() => {
      network.apply(inputs, { training: false, dropout: 0 }).quantiles.dataSync();
    });

  // --- training step: tfjs, then PyTorch, each in a block of steps; then both interleaved --------
  // The machine is shared and its load drifts: blocks show each side at its steadiest, alternating
  // step for step keeps both under the same background load. Both figures are printed.
  const torch = flag('no-torch') ? undefined : await startTorch(shape, hidden, heads, defaults.dropout);
  step();
  step();
  const tfBlock = Array.from({ length: steps }, () => timed(step));
  const torchBlock: Timing[] = [];
  if (torch) {
    await torch.step();
    await torch.step();
    for (let i = 0; i < steps; i++) torchBlock.push(await torch.step());
  }
  const tfInterleaved: Timing[] = [];
  const torchInterleaved: Timing[] = [];
  if (torch) {
    for (let i = 0; i < steps; i++) {
      tfInterleaved.push(timed(step));
      torchInterleaved.push(await torch.step());
    }
    torch.stop();
  }
  const tfStep = summary(tfBlock);
  const forward = summary(Array.from({ length: 3 }, () => timed(forwardOnly)));
  const describeSteps = (label: string, timings: Timing[]) => {
    const s = summary(timings);
    console.log(
      `  ${label}: median ${fmt(s.wall)} s wall / ${fmt(s.cpu)} s CPU (min ${fmt(s.wallMin)} / ${fmt(s.cpuMin)}); ` +
        `steps ${timings.map((t) => fmt(t.wall)).join(' ')}`,
    );
    return s;
  };
  console.log(`\nparameters: ${store.count()} in ${variables.length} tensors`);
  console.log(`training step (batch ${BATCH}, forward + backward + Adam):`);
  describeSteps('tfjs-wasm, block', tfBlock);
  console.log(`  tfjs-wasm forward only: median ${fmt(forward.wall)} s wall / ${fmt(forward.cpu)} s CPU`);
  let torchStep: ReturnType<typeof summary> | undefined;
  if (torch) {
    torchStep = describeSteps(`${torch.label}, block`, torchBlock);
    const tfMixed = describeSteps('tfjs-wasm, interleaved', tfInterleaved);
    const torchMixed = describeSteps('PyTorch, interleaved', torchInterleaved);
    const ratio = (a: ReturnType<typeof summary>, b: ReturnType<typeof summary>) =>
      `median ${fmt(a.wall / b.wall)}x wall / ${fmt(a.cpu / b.cpu)}x CPU, best-of ${fmt(a.wallMin / b.wallMin)}x wall / ${fmt(a.cpuMin / b.cpuMin)}x CPU`;
    console.log(`ratio tfjs / torch, blocks: ${ratio(tfStep, torchStep)}`);
    console.log(`ratio tfjs / torch, interleaved: ${ratio(tfMixed, torchMixed)}`);
  }

  // --- epoch: train batches + validation forward passes ---------------------------------------
  const epochWindows = Math.min(
    plan.trainOrigins.length,
    defaults.windowsPerEpoch ?? Number.POSITIVE_INFINITY,
  );
  const trainBatches = Math.ceil(epochWindows / defaults.batchSize);
  const validationBatches = Math.ceil(plan.validationOrigins.length / defaults.batchSize);
  const epochWall = trainBatches * tfStep.wall + validationBatches * forward.wall;
  console.log(
    `epoch (default stride ${defaults.windowStride} h): ${epochWindows} of ${plan.trainOrigins.length} training windows = ${trainBatches} steps, ` +
      `${plan.validationOrigins.length} validation windows; estimated ${fmt(epochWall, 1)} s per epoch, ` +
      `${fmt((epochWall * defaults.maxEpochs) / 60, 1)} min for maxEpochs ${defaults.maxEpochs}`,
  );

  // --- tuned components against their untuned form (same inputs, same run) ---------------------
  if (flag('components')) await components(hidden, variables);

  // --- full default training run ---------------------------------------------------------------
  if (flag('train')) await fullTraining(frame);

  console.log(`\npeak RSS: ${fmt(process.resourceUsage().maxRSS / 1024, 0)} MB`);
  console.log(
    JSON.stringify({
      tfjsStepWall: tfStep.wall,
      tfjsStepCpu: tfStep.cpu,
      torchStepWall: torchStep?.wall ?? null,
      torchStepCpu: torchStep?.cpu ?? null,
      epochSecondsEstimate: epochWall,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

/**
 * Trains with the default parameters on all but the last week (the last 14 days of the rest for
 * early stopping), then forecasts the held-out week from its start: seconds per epoch, total
 * time, and the P50 error against seasonal naive forecasts as a sanity check.
 */
async function fullTraining(frame: HourlyFrame): Promise<void> {
  const hours = frame.ts.length;
  const heldOut = HORIZON;
  const training = sliceFrame(frame, 0, hours - heldOut);
  const model = tftFactory.create();
  const epochTimes: number[] = [];
  let last = performance.now();
  console.log('\nfull training with default parameters:');
  const report = await model.fit(
    { region: 'IE', target: 'dc_load_mw', frame: training },
    {
      horizon: HORIZON,
      contextLength: ENCODER,
      quantiles: QUANTILES,
      seed: 1,
      validationHours: VALIDATION_HOURS,
      onProgress: (progress) => {
        const now = performance.now();
        epochTimes.push((now - last) / 1000);
        last = now;
        console.log(
          `  epoch ${progress.step}/${progress.totalSteps}: loss ${fmt(progress.metrics.loss!, 4)}, ` +
            `val_loss ${fmt(progress.metrics.val_loss ?? Number.NaN, 4)}, ${fmt(epochTimes.at(-1)!, 1)} s`,
        );
      },
    },
  );
  console.log(
    `full training: ${report.steps} epochs (best ${report.bestStep}) in ${fmt(report.seconds, 1)} s = ` +
      `${fmt(report.seconds / 60, 1)} min; median epoch ${fmt(median(epochTimes), 1)} s`,
  );
  const forecast = await model.forecast(training, { horizon: HORIZON });
  const actual = frame.columns.dc_load_mw!;
  const origin = hours - heldOut;
  const mae = (predict: (h: number) => number) => {
    let sum = 0;
    let count = 0;
    for (let h = 0; h < HORIZON; h++) {
      const y = actual[origin + h]!;
      const p = predict(h);
      if (Number.isFinite(y) && Number.isFinite(p)) {
        sum += Math.abs(y - p);
        count++;
      }
    }
    return sum / count;
  };
  let covered = 0;
  for (let h = 0; h < HORIZON; h++) {
    const y = actual[origin + h]!;
    if (y >= forecast.values[0]![h]! && y <= forecast.values[2]![h]!) covered++;
  }
  console.log(
    `held-out week: P50 MAE ${fmt(mae((h) => forecast.values[1]![h]!))}, seasonal naive 24 h ` +
      `${fmt(mae((h) => actual[origin - 24 + (h % 24)]!))}, seasonal naive 168 h ${fmt(mae((h) => actual[origin - 168 + h]!))}; ` +
      `P10-P90 coverage ${fmt(covered / HORIZON)}`,
  );
  model.dispose();
}

interface TorchRunner {
  label: string;
  step(): Promise<Timing>;
  stop(): void;
}

/**
 * Starts bench/tft/reference_tft.py in --serve mode with the same widths as the tfjs network, or
 * returns undefined (with a note) when Debian's PyTorch is missing.
 */
async function startTorch(
  shape: {
    staticVariables: VariableSpec[];
    encoderVariables: VariableSpec[];
    decoderVariables: VariableSpec[];
  },
  hidden: number,
  heads: number,
  dropout: number,
): Promise<TorchRunner | undefined> {
  if (!existsSync(PYTHON)) {
    console.log('PyTorch baseline skipped: /usr/bin/python3 not found');
    return undefined;
  }
  const config = {
    batch: BATCH,
    encoder: ENCODER,
    horizon: HORIZON,
    hidden,
    heads,
    dropout,
    static: shape.staticVariables.map(inputWidth),
    encoderWidths: shape.encoderVariables.map(inputWidth),
    decoderWidths: shape.decoderVariables.map(inputWidth),
    quantiles: QUANTILES,
  };
  const child = spawn(PYTHON, [REFERENCE_SCRIPT, JSON.stringify(config), '--serve'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string | undefined> => {
    const line = await lines.next();
    return line.done ? undefined : line.value;
  };
  const first = await next();
  if (first === undefined) {
    console.log(
      `PyTorch baseline skipped (apt-get install -y python3-torch?): ${stderr.trim().split('\n').at(-1)}`,
    );
    return undefined;
  }
  const meta = JSON.parse(first) as { torch: string; threads: number; parameters: number };
  return {
    label: `PyTorch ${meta.torch} (${meta.threads} thread, ${meta.parameters} parameters)`,
    async step() {
      child.stdin.write('step\n');
      const line = await next();
      if (line === undefined) throw new Error(`PyTorch reference stopped: ${stderr}`);
      const { wall, cpu } = JSON.parse(line) as Timing;
      return { wall, cpu };
    },
    stop() {
      child.stdin.end('quit\n');
    },
  };
}

/** Before/after for the pieces tuned on wasm, each measured on its own at full size. */
async function components(hidden: number, variables: tf.Variable[]): Promise<void> {
  console.log('\ncomponents (before → after, wall / CPU seconds):');
  const rng = new Rng(3);
  const random = (shape: number[], scale = 1) =>
    tf.tensor(
      Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-scale, scale)),
      shape,
    );
  const report = (name: string, before: Timing, after: Timing) =>
    console.log(
      `  ${name.padEnd(44)} ${fmt(before.wall)} / ${fmt(before.cpu)}  →  ${fmt(after.wall)} / ${fmt(after.cpu)}  ` +
        `(${fmt(before.cpu / after.cpu, 1)}x CPU)`,
    );

  // LSTM encoder-decoder, forward + backward.
  const lstmInputs = [
    random([BATCH, ENCODER, 4 * hidden]),
    random([BATCH, HORIZON, 4 * hidden]),
    random([hidden, 4 * hidden], 0.3),
    random([hidden, 4 * hidden], 0.3),
    random([BATCH, hidden]),
    random([BATCH, hidden]),
  ];
  const lstmGrad = (lstm: typeof encoderDecoderLstm) => () =>
    tf.tidy(() => {
      const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(lstm(...(xs as Parameters<typeof lstm>))))(
        lstmInputs,
      );
      grads.forEach((g) => g.dataSync());
    });
  lstmGrad(encoderDecoderLstm)();
  report(
    'LSTM 336 steps fwd+bwd (tf-ops loop → JS op)',
    timed(lstmGrad(referenceEncoderDecoderLstm)),
    timed(lstmGrad(encoderDecoderLstm)),
  );

  // Linear layer backward: tf.matMul autodiff (transposed matMuls) vs explicit transposes.
  const x = random([BATCH * ENCODER, hidden]) as tf.Tensor2D;
  const w = random([hidden, hidden]) as tf.Tensor2D;
  const b = random([hidden]) as tf.Tensor1D;
  const denseGrad = (f: (a: tf.Tensor2D, c: tf.Tensor2D, d: tf.Tensor1D) => tf.Tensor2D) => () =>
    tf.tidy(() => {
      for (let i = 0; i < 20; i++) {
        const grads = tf.grads((a, c, d) => tf.sum(f(a as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor1D)))([
          x,
          w,
          b,
        ]);
        grads.forEach((g) => g.dataSync());
      }
    });
  const tfDense = (a: tf.Tensor2D, c: tf.Tensor2D, d: tf.Tensor1D) =>
    tf.add(tf.matMul(a, c), d) as tf.Tensor2D;
  denseGrad(dense)();
  denseGrad(tfDense)();
  report(
    `20 × dense [${BATCH * ENCODER},${hidden}]·[${hidden},${hidden}] fwd+bwd`,
    timed(denseGrad(tfDense)),
    timed(denseGrad(dense)),
  );

  // Adam over the network's parameter tensors.
  const grads = variables.map((v) => tf.randomNormal(v.shape, 0, 0.01, 'float32', 4));
  const copies = variables.map((v) => tf.variable(v.clone()));
  const tfAdam = tf.train.adam(1e-3);
  const jsAdam = new Adam(copies, { learningRate: 1e-3 });
  const named = copies.map((v, i) => ({ name: v.name, tensor: grads[i]! }));
  const tfAdamStep = () => {
    for (let i = 0; i < 5; i++) tfAdam.applyGradients(named);
    copies[0]!.dataSync();
  };
  const jsAdamStep = () => {
    for (let i = 0; i < 5; i++) jsAdam.step(grads);
  };
  tfAdamStep();
  jsAdamStep();
  report(
    `5 × Adam update, ${variables.length} tensors (tf.train → JS)`,
    timed(tfAdamStep),
    timed(jsAdamStep),
  );
  tfAdam.dispose();

  // Layer norm over [B·T, hidden]: autodiff through tf.moments (Mean's gradient fills ones arrays
  // in JS) against the op with its analytic gradient.
  const rows = random([BATCH * (ENCODER + HORIZON), hidden]) as tf.Tensor2D;
  const lnStore = new ParameterStore(new Rng(5));
  const norm = new LayerNorm(lnStore, 'ln', hidden);
  const byMoments = (a: tf.Tensor2D) => {
    const { mean, variance } = tf.moments(a, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(a, mean), tf.rsqrt(tf.add(variance, 1e-5))), norm.gain), norm.offset);
  };
  const lnGrad = (f: (a: tf.Tensor2D) => tf.Tensor) => () =>
    tf.tidy(() => {
      for (let i = 0; i < 10; i++) {
        const { grads: g } = tf.variableGrads(
          () => tf.sum(tf.mul(f(rows), rows)) as tf.Scalar,
          lnStore.list(),
        );
        Object.values(g).forEach((t) => t.dataSync());
      }
    });
  lnGrad(byMoments)();
  lnGrad((a) => norm.apply(a))();
  report(
    `10 × layer norm [${BATCH * (ENCODER + HORIZON)},${hidden}] fwd+bwd`,
    timed(lnGrad(byMoments)),
    timed(lnGrad((a) => norm.apply(a))),
  );

  // Head-averaged attention weights at full size: tf.mean's gradient (a JS ones array of
  // [B, heads, Tq, Tk]) against the concat-based backward pass.
  const heads = 2;
  const q = random([BATCH * HORIZON, hidden]) as tf.Tensor2D;
  const k = random([BATCH * (ENCODER + HORIZON), hidden]) as tf.Tensor2D;
  const upstream = random([BATCH, HORIZON, ENCODER + HORIZON]);
  const plainAttention = (a: tf.Tensor2D, c: tf.Tensor2D) => {
    const d = hidden / heads;
    const perHead = (t: tf.Tensor2D, steps: number) =>
      tf.transpose(tf.reshape(t, [BATCH, steps, heads, d]), [0, 2, 1, 3]);
    const mask = tf.tensor2d(causalMask(HORIZON, ENCODER + HORIZON), [HORIZON, ENCODER + HORIZON]);
    return tf.mean(
      tf.softmax(tf.add(tf.matMul(perHead(a, HORIZON), perHead(c, ENCODER + HORIZON), false, true), mask)),
      1,
    );
  };
  const attentionGrad = (f: (a: tf.Tensor2D, c: tf.Tensor2D) => tf.Tensor) => () =>
    tf.tidy(() => {
      const g = tf.grads((a, c) => tf.sum(tf.mul(f(a as tf.Tensor2D, c as tf.Tensor2D), upstream)))([q, k]);
      g.forEach((t) => t.dataSync());
    });
  const ours = (a: tf.Tensor2D, c: tf.Tensor2D) => averagedCausalAttention(a, c, BATCH, heads);
  attentionGrad(ours)();
  report(
    'attention weights fwd+bwd (tf.mean grad → concat)',
    timed(attentionGrad(plainAttention)),
    timed(attentionGrad(ours)),
  );
  lnStore.dispose();
  tf.dispose([...grads, ...copies, ...lstmInputs, x, w, b, rows, q, k, upstream]);
}

await main();
