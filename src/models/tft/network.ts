/**
 * The Temporal Fusion Transformer's forward pass (Lim et al. 2021, figure 2):
 * static covariate encoders → variable selection (static, encoder, decoder) → LSTM encoder-decoder
 * with a gated skip → static enrichment → interpretable multi-head attention with a gated skip →
 * position-wise GRN → gated skip to the LSTM layer → one linear output per quantile.
 */
import * as tf from '@tensorflow/tfjs';
import { InterpretableAttention } from './attention.js';
import { GateAddNorm, Grn, Linear, type RunContext } from './layers.js';
import { encoderDecoderLstm } from './lstm.js';
import type { ParameterStore } from './parameters.js';
import { InputEmbedding, VariableSelection, type VariableSpec } from './vsn.js';

/** The LSTM implementation: the fused JS op by default; lstm-reference.ts has a tf-ops one (tests). */
export type LstmKernel = typeof encoderDecoderLstm;

export interface NetworkShape {
  hiddenSize: number;
  attentionHeads: number;
  encoderLength: number;
  horizon: number;
  quantileCount: number;
  staticVariables: VariableSpec[];
  encoderVariables: VariableSpec[];
  decoderVariables: VariableSpec[];
}

/** One [rows, width] input matrix per variable, in the order of the shape's variable lists. */
export interface NetworkInputs {
  batch: number;
  /** Rows: B. */
  static: tf.Tensor2D[];
  /** Rows: B·encoderLength (row b·Te + t). */
  encoder: tf.Tensor2D[];
  /** Rows: B·horizon. */
  decoder: tf.Tensor2D[];
}

export interface NetworkOutputs {
  /** Normalised quantile forecasts [B, horizon, Q]. */
  quantiles: tf.Tensor3D;
  staticWeights: tf.Tensor2D;
  /** [B·Te, V_enc]. */
  encoderWeights: tf.Tensor2D;
  /** [B·Td, V_dec]. */
  decoderWeights: tf.Tensor2D;
  /** Head-averaged attention [B, Td, Te + Td]. */
  attention: tf.Tensor3D;
}

class LstmLayer {
  readonly input: Linear;
  readonly recurrent: tf.Variable;

  constructor(store: ParameterStore, name: string, hidden: number) {
    // Forget-gate bias 1 (gate order i, f, g, o): the usual start that lets memory flow early on.
    const bias = new Float32Array(4 * hidden);
    bias.fill(1, hidden, 2 * hidden);
    this.input = new Linear(store, `${name}.input`, hidden, 4 * hidden, { biasInit: bias });
    this.recurrent = store.add(`${name}.recurrent`, [hidden, 4 * hidden], {
      kind: 'glorot',
      fanIn: hidden,
      fanOut: 4 * hidden,
    });
  }
}

export class TftNetwork {
  private readonly embeddings = new Map<string, InputEmbedding>();
  private readonly staticSelection: VariableSelection;
  private readonly staticContexts: Record<'selection' | 'enrichment' | 'cell' | 'hidden', Grn>;
  private readonly encoderSelection: VariableSelection;
  private readonly decoderSelection: VariableSelection;
  private readonly encoderLstm: LstmLayer;
  private readonly decoderLstm: LstmLayer;
  private readonly lstmGate: GateAddNorm;
  private readonly enrichment: Grn;
  private readonly attention: InterpretableAttention;
  private readonly attentionGate: GateAddNorm;
  private readonly positionWise: Grn;
  private readonly outputGate: GateAddNorm;
  private readonly output: Linear;

  constructor(
    store: ParameterStore,
    readonly shape: NetworkShape,
    private readonly lstm: LstmKernel = encoderDecoderLstm,
  ) {
    const h = shape.hiddenSize;
    for (const spec of [...shape.staticVariables, ...shape.encoderVariables, ...shape.decoderVariables]) {
      if (!this.embeddings.has(spec.name)) this.embeddings.set(spec.name, new InputEmbedding(store, spec, h));
    }
    this.staticSelection = new VariableSelection(store, 'static_vsn', shape.staticVariables, h);
    const contextGrn = (name: string) => new Grn(store, name, { inputSize: h, hiddenSize: h, outputSize: h });
    this.staticContexts = {
      selection: contextGrn('static_context.selection'),
      enrichment: contextGrn('static_context.enrichment'),
      cell: contextGrn('static_context.cell'),
      hidden: contextGrn('static_context.hidden'),
    };
    this.encoderSelection = new VariableSelection(store, 'encoder_vsn', shape.encoderVariables, h, h);
    this.decoderSelection = new VariableSelection(store, 'decoder_vsn', shape.decoderVariables, h, h);
    this.encoderLstm = new LstmLayer(store, 'lstm_encoder', h);
    this.decoderLstm = new LstmLayer(store, 'lstm_decoder', h);
    this.lstmGate = new GateAddNorm(store, 'lstm_gate', h, h);
    this.enrichment = new Grn(store, 'static_enrichment', {
      inputSize: h,
      hiddenSize: h,
      outputSize: h,
      contextSize: h,
    });
    this.attention = new InterpretableAttention(store, 'attention', h, shape.attentionHeads);
    this.attentionGate = new GateAddNorm(store, 'attention_gate', h, h);
    this.positionWise = new Grn(store, 'position_wise', { inputSize: h, hiddenSize: h, outputSize: h });
    this.outputGate = new GateAddNorm(store, 'output_gate', h, h);
    this.output = new Linear(store, 'output', h, shape.quantileCount);
  }

  private embed(variables: VariableSpec[], inputs: tf.Tensor2D[]): tf.Tensor2D[] {
    return variables.map((spec, j) => this.embeddings.get(spec.name)!.apply(inputs[j]!));
  }

  /** Call inside tf.tidy (or a gradient function): intermediate tensors are not disposed here. */
  apply(inputs: NetworkInputs, run: RunContext): NetworkOutputs {
    const { hiddenSize: h, encoderLength: te, horizon: td } = this.shape;
    const batch = inputs.batch;

    const staticSelected = this.staticSelection.apply(
      this.embed(this.shape.staticVariables, inputs.static),
      run,
    );
    const zeta = staticSelected.output;
    const cSelection = this.staticContexts.selection.apply(zeta, run);
    const cEnrichment = this.staticContexts.enrichment.apply(zeta, run);
    const cCell = this.staticContexts.cell.apply(zeta, run);
    const cHidden = this.staticContexts.hidden.apply(zeta, run);

    const encoder = this.encoderSelection.apply(
      this.embed(this.shape.encoderVariables, inputs.encoder),
      run,
      {
        value: cSelection,
        steps: te,
      },
    );
    const decoder = this.decoderSelection.apply(
      this.embed(this.shape.decoderVariables, inputs.decoder),
      run,
      {
        value: cSelection,
        steps: td,
      },
    );

    const preEnc = tf.reshape(this.encoderLstm.input.apply(encoder.output), [
      batch,
      te,
      4 * h,
    ]) as tf.Tensor3D;
    const preDec = tf.reshape(this.decoderLstm.input.apply(decoder.output), [
      batch,
      td,
      4 * h,
    ]) as tf.Tensor3D;
    const lstmOut = this.lstm(
      preEnc,
      preDec,
      this.encoderLstm.recurrent as tf.Tensor2D,
      this.decoderLstm.recurrent as tf.Tensor2D,
      cHidden,
      cCell,
    );
    const rowsAll = batch * (te + td);
    const selected = tf.reshape(
      tf.concat([tf.reshape(encoder.output, [batch, te, h]), tf.reshape(decoder.output, [batch, td, h])], 1),
      [rowsAll, h],
    ) as tf.Tensor2D;
    const temporal = this.lstmGate.apply(tf.reshape(lstmOut, [rowsAll, h]) as tf.Tensor2D, selected, run);
    const enriched = this.enrichment.apply(temporal, run, { value: cEnrichment, steps: te + td });

    const decoderRows = (x: tf.Tensor2D) =>
      tf.reshape(tf.slice(tf.reshape(x, [batch, te + td, h]), [0, te, 0], [batch, td, h]), [
        batch * td,
        h,
      ]) as tf.Tensor2D;
    const enrichedDecoder = decoderRows(enriched);
    const attended = this.attention.apply(enrichedDecoder, enriched, batch);
    const gatedAttention = this.attentionGate.apply(attended.output, enrichedDecoder, run);
    const processed = this.positionWise.apply(gatedAttention, run);
    const final = this.outputGate.apply(processed, decoderRows(temporal), run);
    const quantiles = tf.reshape(this.output.apply(final), [
      batch,
      td,
      this.shape.quantileCount,
    ]) as tf.Tensor3D;
    return {
      quantiles,
      staticWeights: staticSelected.weights,
      encoderWeights: encoder.weights,
      decoderWeights: decoder.weights,
      attention: attended.weights,
    };
  }
}
