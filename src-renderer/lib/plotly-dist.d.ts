// plotly.js-dist-min ships no type declarations; plotly-loader.ts gives the module its type (PlotlyApi).
declare module 'plotly.js-dist-min';
