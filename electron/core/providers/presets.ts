import { toAppError } from '../coreError';
import { fail, ok, type Result } from '../../../shared/errors';
import type { ModelInfo } from './chatProvider';
import {
  listOpenAiCompatibleModels,
  type ListModelsOptions,
  type OpenAiCompatibleConfig,
} from './openaiCompatible';

/** A local server Causerie knows how to find at its usual address. */
export interface EndpointPreset {
  id: 'ollama' | 'lm-studio' | 'vllm' | 'llama-server';
  name: string;
  baseUrl: string;
}

/** The default addresses of the common local OpenAI-compatible servers. */
export const ENDPOINT_PRESETS: readonly EndpointPreset[] = [
  { id: 'ollama', name: 'Ollama', baseUrl: 'http://127.0.0.1:11434' },
  { id: 'lm-studio', name: 'LM Studio', baseUrl: 'http://127.0.0.1:1234' },
  { id: 'vllm', name: 'vLLM', baseUrl: 'http://127.0.0.1:8000' },
  { id: 'llama-server', name: 'llama-server', baseUrl: 'http://127.0.0.1:8080' },
];

/** An endpoint config from a preset; `id` defaults to the preset's. */
export function configFromPreset(
  preset: EndpointPreset,
  id: string = preset.id,
): OpenAiCompatibleConfig {
  return { id, name: preset.name, baseUrl: preset.baseUrl };
}

/**
 * Tries an endpoint by listing its models: the models when it answers, else the exact error
 * (unreachable, key rejected, not an OpenAI-compatible server, …) as plain data for the UI.
 */
export async function checkEndpoint(
  config: OpenAiCompatibleConfig,
  options: ListModelsOptions = {},
): Promise<Result<{ models: ModelInfo[] }>> {
  try {
    return ok({ models: await listOpenAiCompatibleModels(config, options) });
  } catch (error) {
    return fail(toAppError(error));
  }
}
