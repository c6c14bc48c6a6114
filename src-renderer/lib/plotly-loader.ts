// Loads plotly on first use: it is ~4.8 MB minified, so it lives in its own chunk that only the views
// showing a PAD plot pull in, and the main bundle stays small.
import type { PlotlyApi } from './plotly-types';

let pending: Promise<PlotlyApi> | null = null;

export function loadPlotly(): Promise<PlotlyApi> {
  pending ??= import('plotly.js-dist-min').then((m: { default?: PlotlyApi } & Partial<PlotlyApi>) =>
    // The UMD bundle arrives as a CommonJS default export; tolerate a namespace-shaped module as well.
    (m.default ?? (m as PlotlyApi)),
  ).catch((e: unknown) => {
    pending = null; // let a later mount try again
    throw e;
  });
  return pending;
}
