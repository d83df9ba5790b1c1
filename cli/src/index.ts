/**
 * The command line's building blocks (Node only; the package ships the `ddpm-scheduler` executable and
 * has no entry point of its own): the trained network's sampler, training set and classifier, the digit
 * dataset and its exact denoiser, the schedule table, JSON and SVG, the PNG grid, and `main`.
 *
 * @module
 */
export { DIGIT_HEIGHT, DIGIT_WIDTH, digitBitmap } from './digitFont.js';
export { digitGlyphs, GLYPH_SIZE, type Glyph } from './digitGlyphs.js';
export { exactDenoiser } from './exactDenoiser.js';
export { nearestGlyph, type Nearest } from './nearestGlyph.js';
export { imageGrid, type GridSpec, type Raster } from './imageGrid.js';
export { encodePng } from './encodePng.js';
export { scheduleRows, type ScheduleRow } from './scheduleRows.js';
export type { ScheduleSeries } from './scheduleSeries.js';
export { formatScheduleTable } from './formatScheduleTable.js';
export { scheduleJson, type ScheduleJson } from './scheduleJson.js';
export { scheduleSvg } from './scheduleSvg.js';
export {
  MAX_SAMPLES,
  MAX_STEPS,
  parseCli,
  SCHEDULE_FORMATS,
  USAGE,
  type CliCommand,
  type DemoCommand,
  type FlagSchedule,
  type HelpCommand,
  type ScheduleCommand,
  type ScheduleFormat,
  type VersionCommand,
} from './parseCli.js';
export { scheduleSeriesFor, withSteps } from './scheduleSeriesFor.js';
export { runSchedule } from './runSchedule.js';
export { runDemo, type DemoProgress, type DemoReport } from './runDemo.js';
export { spreadIndices, writeDemoFile } from './demoFiles.js';
export { NETWORK_SIZE, sampleNetwork, unetModel, type NetworkRequest, type OrtLike, type OrtSessionLike, type OrtTensorLike } from './network.js';
export {
  classify,
  decodeTrainingSet,
  loadTrainingSet,
  MODEL_FILES,
  nearestImages,
  type Classified,
  type NearestImage,
  type TrainingSet,
} from './networkData.js';
export { loadOnnxRuntimeNode, runNetworkDemo, type NetworkDemoReport, type OrtNode } from './runNetworkDemo.js';
export { main, type CliIo } from './main.js';
export { nodeIo } from './nodeIo.js';
export { lineProgress } from './lineProgress.js';
