// The two figures of the book's train_neuralnet.py / §4.5, as standalone SVG strings.
import { lineChart, type LineChartOptions } from "./line-chart.js";
import { fail } from "../errors.js";
import { checkOptions, describeValue } from "../check.js";

/** What accuracyFigure reads from a training history (trainNet's TrainHistory has it). */
export interface AccuracyHistory {
  trainAccList: ArrayLike<number>;
  testAccList: ArrayLike<number>;
}

type FigureOptions = Pick<LineChartOptions, "width" | "height" | "title" | "idPrefix">;

/**
 * Train vs test accuracy per epoch, as the book draws it: x "epochs" from 0, y "accuracy"
 * fixed to [0, 1], the test line dashed, the legend in the lower right.
 */
export function accuracyFigure(history: AccuracyHistory, options: FigureOptions = {}): string {
  if (typeof history !== "object" || history === null) fail("accuracyFigure", `history must be { trainAccList, testAccList } (trainNet's result has them), got ${describeValue(history)}`);
  options = checkOptions(options, "accuracyFigure");
  return lineChart({
    series: [
      { label: "train acc", y: history.trainAccList },
      { label: "test acc", y: history.testAccList, dashed: true },
    ],
    xLabel: "epochs",
    yLabel: "accuracy",
    yDomain: [0, 1],
    integerX: true,
    legend: "lower right",
    idPrefix: "accuracy",
    ...options,
  });
}

/**
 * The loss of every minibatch per iteration (x "iteration", y "loss"). 10,000 points are
 * decimated to at most 4 per pixel column (first/min/max/last), which draws the same pixels.
 */
export function lossFigure(trainLossList: ArrayLike<number>, options: FigureOptions = {}): string {
  options = checkOptions(options, "lossFigure");
  return lineChart({
    series: [{ label: "train loss", y: trainLossList }],
    xLabel: "iteration",
    yLabel: "loss",
    integerX: true,
    legend: "none",
    idPrefix: "loss",
    ...options,
  });
}
