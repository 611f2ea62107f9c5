import type { ModelRef } from '../../shared/domain';
import { MISTRAL_DEFAULT_BASE_URL } from './providers/mistral';

/** Mistral's cloud models offered until the live model list arrives. */
export const MISTRAL_MODELS: readonly string[] = [
  'mistral-small-latest',
  'mistral-medium-latest',
  'mistral-large-latest',
];

/** Settings that come from the environment at start-up. */
export interface EnvironmentConfig {
  mistralBaseUrl: string;
  defaultModel: ModelRef;
}

/** Reads `MISTRAL_BASE_URL` and `CAUSERIE_DEFAULT_MODEL`, with safe defaults. */
export function readEnvironmentConfig(env: NodeJS.ProcessEnv): EnvironmentConfig {
  const baseUrl = env.MISTRAL_BASE_URL?.trim() || MISTRAL_DEFAULT_BASE_URL;
  return {
    mistralBaseUrl: baseUrl.replace(/\/+$/, ''),
    defaultModel: {
      provider: 'mistral',
      model: env.CAUSERIE_DEFAULT_MODEL?.trim() || 'mistral-small-latest',
    },
  };
}
