// The small part of plotly.js's API the studio uses, typed here because plotly.js-dist-min ships no types
// (and @types/plotly.js would be a dependency for a handful of fields).

export type Xyz = (number | null)[];

/** A scatter3d trace: markers, lines or both, with hover text. */
export interface Scatter3dTrace {
  type: 'scatter3d';
  name: string;
  mode: 'markers' | 'lines' | 'text' | 'markers+text' | 'lines+markers' | 'lines+markers+text' | 'lines+text';
  x: Xyz;
  y: Xyz;
  z: Xyz;
  text?: string[];
  hovertext?: string[];
  hovertemplate?: string;
  hoverinfo?: string;
  textposition?: string | string[];
  textfont?: { color?: string | string[]; size?: number; family?: string };
  marker?: {
    size?: number | number[];
    color?: string | string[];
    symbol?: string;
    opacity?: number;
    line?: { color?: string; width?: number };
  };
  line?: { color?: string; width?: number; dash?: string };
  showlegend?: boolean;
  legendgroup?: string;
  legendrank?: number;
  /** Not a plotly field name clash: plotly keeps unknown keys as-is; the studio uses it to tag traces. */
  meta?: string;
}

export interface PlotlyConfig {
  displaylogo?: boolean;
  responsive?: boolean;
  modeBarButtonsToRemove?: string[];
  toImageButtonOptions?: { filename?: string; format?: string };
}

export type PlotlyLayout = Record<string, unknown>;

export interface PlotlyApi {
  react(el: HTMLElement, data: Scatter3dTrace[], layout: PlotlyLayout, config?: PlotlyConfig): Promise<unknown>;
  purge(el: HTMLElement): void;
  Plots?: { resize(el: HTMLElement): void };
}
