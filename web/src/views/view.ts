import type { ChartHandle } from '../charts/timeseries.js';

/** What a view gets to draw itself: its URL parameters, a way to change them, an abort signal. */
export interface ViewContext {
  root: HTMLElement;
  params: URLSearchParams;
  /** Aborted when the user moves on before this render finished. */
  signal: AbortSignal;
  /** Sets (or with undefined, removes) URL parameters of this view; the view renders again. */
  update(patch: Record<string, string | undefined>): void;
  /** Charts to destroy when the view renders again. */
  keep(chart: ChartHandle): HTMLElement;
}

export interface View {
  title: string;
  render(ctx: ViewContext): Promise<void>;
}
