// SVG line charts and the book's figures (browser-safe: strings in, strings out).
export { lineChart, type LineChartOptions, type LineSeries, type LegendPosition } from "./line-chart.js";
export { accuracyFigure, lossFigure, type AccuracyHistory } from "./figures.js";
export { niceTicks, type Ticks } from "./ticks.js";
