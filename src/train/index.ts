export { trainNet, type TrainOptions, type TrainHistory, type TrainSettings, type StepInfo, type EpochInfo } from "./train.js";
export { evaluateAccuracy, type EvaluateOptions } from "./evaluate.js";
export { BatchSampler } from "./sampler.js";
export type { ImageSource } from "../data/image-source.js";
export type { TrainableNet } from "./trainable.js";
export { DivergenceError, type DivergenceKind } from "./divergence.js";
