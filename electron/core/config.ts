import type { ModelRef } from '../../shared/domain';
import { testHostsFrom } from './images/imageAddresses';
import { MISTRAL_DEFAULT_BASE_URL } from './providers/mistral';

/** Settings that come from the environment at start-up. */
export interface EnvironmentConfig {
  mistralBaseUrl: string;
  defaultModel: ModelRef;
  /** `CAUSERIE_TEST_HOSTS`: `.test` names the image fetcher answers as given (tests only). */
  imageTestHosts?: ReadonlyMap<string, string>;
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
    imageTestHosts: testHostsFrom(env.CAUSERIE_TEST_HOSTS),
  };
}
