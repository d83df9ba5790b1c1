import type { DDPMScheduler } from '../scheduler/index.js';

/** A schedule with a name to show in tables, JSON and legends. */
export interface ScheduleSeries {
  readonly label: string;
  readonly scheduler: DDPMScheduler;
}
