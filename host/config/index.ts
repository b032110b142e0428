export * from './keys';
export * from './types';
export {
  loadConfig,
  resolveConfig,
  requireValid,
  hasErrors,
  configFileFor,
  DEFAULT_CONFIG_FILE,
  DEFAULT_STATE_DIR,
} from './load';
export type { LoadedConfig, Env } from './load';
export { renderDefaultConfig, renderExampleConfig, renderConfigReference, renderKeyHelp } from './render';
