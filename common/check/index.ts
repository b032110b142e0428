export * from './model';
export { createCheckRunner, type CheckRunner, type CheckRunnerOptions, type RunContext } from './runner';
