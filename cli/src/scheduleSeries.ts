import type { DDPMScheduler } from 'ddpm-scheduler';

/** A schedule with a name to show in tables, JSON and legends. */
export interface ScheduleSeries {
  readonly label: string;
  readonly scheduler: DDPMScheduler;
}
