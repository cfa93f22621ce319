// SVG figures: line charts, the book's figures and the pieces they are made of
// (browser-safe: strings in, strings out).
export { lineChart, lineLayer, type LineChartOptions, type LineSeries, type LegendPosition } from "./line-chart.js";
export { renderAxes, type AxesOptions, type Frame, type PlotLayer, type LegendEntry } from "./axes.js";
export { markerPath, MARKER_SHAPES, type MarkerShape } from "./markers.js";
export { quiverLayer, type QuiverOptions } from "./quiver.js";
export { contourLayer, contourLines, type ContourOptions, type ContourLine } from "./contour.js";
export { histogram, histogramLayer, type Histogram, type BarsOptions } from "./histogram.js";
export { imageGrid, type CornerLabels, type GrayImage, type ImageGridOptions } from "./image-grid.js";
export { panelGrid, type PanelGridOptions } from "./panel-grid.js";
export { encodeGrayPng } from "./png.js";
export { viridis, grayLevel, type GrayMap } from "./colormap.js";
export { accuracyFigure, lossFigure, type AccuracyHistory } from "./figures.js";
export { niceTicks, type Ticks } from "./ticks.js";
