/**
 * Input embeddings and variable selection networks.
 *
 * Each input variable becomes a `hidden`-wide vector: a categorical through its one-hot rows times
 * an embedding matrix (a matMul, not a gather: gather has no gradient on the wasm backend), a real
 * value through a 1 → hidden linear map. A variable selection network (VSN) then weighs the V
 * vectors with softmax weights from a GRN over all of them (plus a static context) and sums each
 * variable's own GRN output with those weights.
 *
 * Variables stay a list of [rows, hidden] tensors instead of one stacked tensor: un-stacking a big
 * tensor (in the backward pass of a stack or a concat) costs V full copies on wasm.
 */
import * as tf from '@tensorflow/tfjs';
import { dense } from './dense.js';
import { Grn, Linear, type RunContext } from './layers.js';
import type { ParameterStore } from './parameters.js';

export type VariableSpec =
  { name: string; kind: 'real' } | { name: string; kind: 'categorical'; cardinality: number };

/** Columns a variable occupies in its input matrix: 1 for a real, the cardinality for a one-hot. */
export function inputWidth(spec: VariableSpec): number {
  return spec.kind === 'real' ? 1 : spec.cardinality;
}

/** Maps one variable's input rows [rows, width] to [rows, hidden]. */
export class InputEmbedding {
  private readonly map: Linear;

  constructor(
    store: ParameterStore,
    readonly spec: VariableSpec,
    hidden: number,
  ) {
    // A one-hot row picks one embedding row; a bias would only duplicate it.
    this.map = new Linear(store, `embed.${spec.name}`, inputWidth(spec), hidden, {
      bias: spec.kind === 'real',
    });
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return this.map.apply(x);
  }
}

export interface SelectionResult {
  /** Weighted sum of the processed variables [rows, hidden]. */
  output: tf.Tensor2D;
  /** Softmax selection weights [rows, V]. */
  weights: tf.Tensor2D;
}

export class VariableSelection {
  private readonly selector: Grn;
  private readonly perVariable: Grn[];

  constructor(
    store: ParameterStore,
    name: string,
    readonly variables: readonly VariableSpec[],
    private readonly hidden: number,
    contextSize?: number,
  ) {
    const count = variables.length;
    this.selector = new Grn(store, `${name}.selector`, {
      inputSize: count * hidden,
      hiddenSize: hidden,
      outputSize: count,
      ...(contextSize !== undefined ? { contextSize } : {}),
    });
    this.perVariable = variables.map(
      (spec) =>
        new Grn(store, `${name}.var.${spec.name}`, {
          inputSize: hidden,
          hiddenSize: hidden,
          outputSize: hidden,
        }),
    );
  }

  /**
   * `embedded`: one [rows, hidden] tensor per variable, in the order of `variables`.
   * `context`: a static context [B, contextSize] and the number of steps per batch row.
   */
  apply(
    embedded: tf.Tensor2D[],
    run: RunContext,
    context?: { value: tf.Tensor2D; steps: number },
  ): SelectionResult {
    const weights = this.selectionWeights(embedded, run, context);
    if (embedded.length === 1) return { output: this.perVariable[0]!.apply(embedded[0]!, run), weights };
    const columns = tf.unstack(tf.transpose(weights));
    const parts = embedded.map((x, j) =>
      tf.mul(this.perVariable[j]!.apply(x, run), tf.expandDims(columns[j]!, 1)),
    ) as tf.Tensor2D[];
    return { output: tf.addN(parts), weights };
  }

  /**
   * softmax(GRN(flatten(ξ₁..ξ_V), c)). The flattened input's projections are summed per variable
   * (ξ_j times its block of rows of the weight) rather than built by concatenation.
   */
  private selectionWeights(
    embedded: tf.Tensor2D[],
    run: RunContext,
    context?: { value: tf.Tensor2D; steps: number },
  ): tf.Tensor2D {
    const hidden = this.hidden;
    const blockProduct = (layer: Linear) => {
      const outputSize = layer.outputSize;
      const terms = embedded.map((x, j) =>
        dense(x, tf.slice(layer.weight as tf.Tensor2D, [j * hidden, 0], [hidden, outputSize])),
      );
      const sum = terms.length === 1 ? terms[0]! : tf.addN(terms);
      return (layer.bias ? tf.add(sum, layer.bias) : sum) as tf.Tensor2D;
    };
    const skipLayer = this.selector.skipLayer;
    const input = blockProduct(this.selector.inputLayer);
    // With one variable the selector's output width (1) differs from V·hidden, so a skip exists
    // whenever hidden > 1; V·hidden === V only if hidden === 1, which the config forbids.
    const skip = skipLayer ? blockProduct(skipLayer) : input;
    const logits = this.selector.apply(embedded[0]!, run, context, { input, skip });
    return tf.softmax(logits);
  }
}
