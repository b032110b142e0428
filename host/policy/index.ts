export { decide, awakeReasons, duration, label, maxCycleGapSeconds } from './decide';
export * from './types';
