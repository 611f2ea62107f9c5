import type { ModelRef } from '../../../shared/domain';
import { CoreError } from '../coreError';
import type { Logger } from '../logger';
import type { ChatProvider, LocalModels, ResolvedModel } from '../providers/chatProvider';
import { isChatModel } from '../providers/chatProvider';
import { createMistralProvider, listMistralModels } from '../providers/mistral';
import { createModelCatalogCache, type CatalogEntry } from '../providers/modelCatalog';
import {
  createOpenAiCompatibleProvider,
  listOpenAiCompatibleModels,
} from '../providers/openaiCompatible';
import type { KeyVault } from '../settings/keyVault';
import type { AppSettingsStore, EndpointConfig } from '../settings/appSettings';

/** The prefix of provider ids that name an OpenAI-compatible endpoint. */
export const ENDPOINT_PROVIDER_PREFIX = 'endpoint:';

export interface ModelRegistryOptions {
  keyVault: KeyVault;
  settings: AppSettingsStore;
  mistralBaseUrl: string;
  logger: Logger;
  /** Replaces the Mistral provider (tests inject failures with it). */
  mistralProvider?: ChatProvider;
  local?: LocalModels;
  onCatalogChange?: () => void;
}

/**
 * Every engine that can answer: Mistral's cloud, each OpenAI-compatible endpoint, the local
 * runtime. Resolves a conversation's model to its provider and keeps the model catalogue.
 */
export function createModelRegistry(options: ModelRegistryOptions) {
  const { keyVault, settings } = options;
  const mistral =
    options.mistralProvider ??
    createMistralProvider({
      getApiKey: () => keyVault.get('mistral'),
      baseUrl: options.mistralBaseUrl,
    });
  const endpointProviders = new Map<string, ChatProvider>();

  const catalog = createModelCatalogCache({
    sources: {
      mistral: (signal) =>
        listMistralModels({
          getApiKey: () => keyVault.get('mistral'),
          baseUrl: options.mistralBaseUrl,
          signal,
        }),
    },
    onChange: () => options.onCatalogChange?.(),
  });
  if (options.local) {
    const local = options.local;
    catalog.setSource('local', () => local.list());
  }
  for (const endpoint of settings.get().endpoints) addEndpointSource(endpoint);

  function addEndpointSource(endpoint: EndpointConfig): void {
    const provider = ENDPOINT_PROVIDER_PREFIX + endpoint.id;
    catalog.setSource(provider, (signal) =>
      listOpenAiCompatibleModels(endpoint, { getApiKey: () => keyVault.get(provider), signal }),
    );
  }

  function endpointConfig(provider: string): EndpointConfig | undefined {
    const id = provider.slice(ENDPOINT_PROVIDER_PREFIX.length);
    return settings.get().endpoints.find((endpoint) => endpoint.id === id);
  }

  function contextLengthOf(model: ModelRef): number | null {
    const entry = catalog.peek(model.provider);
    return entry?.models.find((info) => info.id === model.model)?.contextLength ?? null;
  }

  function resolve(model: ModelRef): ResolvedModel {
    if (model.provider === 'mistral') {
      return {
        provider: mistral,
        contextLength: contextLengthOf(model),
        templateKind: 'system-role',
      };
    }
    if (model.provider === 'local') {
      if (!options.local) {
        throw new CoreError('MODEL_LOAD', 'The local runtime is not available in this build.');
      }
      return {
        provider: options.local.provider,
        contextLength: contextLengthOf(model),
        templateKind: options.local.templateKind(model.model),
      };
    }
    if (model.provider.startsWith(ENDPOINT_PROVIDER_PREFIX)) {
      const config = endpointConfig(model.provider);
      if (!config) {
        throw new CoreError(
          'NOT_FOUND',
          'This conversation uses a server that was removed from Settings. Pick another model.',
        );
      }
      let provider = endpointProviders.get(model.provider);
      if (!provider) {
        provider = createOpenAiCompatibleProvider({
          config,
          getApiKey: () => keyVault.get(model.provider),
        });
        endpointProviders.set(model.provider, provider);
      }
      return { provider, contextLength: contextLengthOf(model), templateKind: 'system-role' };
    }
    throw new CoreError('VALIDATION', `Unknown provider "${model.provider}".`);
  }

  return {
    resolve,
    catalog,
    /** Catalogue entries for the picker, chat models only, every provider. */
    async groups(refresh = false): Promise<CatalogEntry[]> {
      if (refresh) await Promise.all(providerIds().map((id) => catalog.refresh(id)));
      const entries = await catalog.getAll();
      return entries.map((entry) => ({ ...entry, models: entry.models.filter(isChatModel) }));
    },
    endpointAdded(endpoint: EndpointConfig): void {
      endpointProviders.delete(ENDPOINT_PROVIDER_PREFIX + endpoint.id);
      addEndpointSource(endpoint);
    },
    endpointRemoved(endpointId: string): void {
      const provider = ENDPOINT_PROVIDER_PREFIX + endpointId;
      endpointProviders.delete(provider);
      catalog.removeSource(provider);
    },
    /** A key changed: forget cached lists so availability is checked again. */
    keyChanged(provider: string): void {
      if (provider === 'mistral') {
        catalog.setSource('mistral', (signal) =>
          listMistralModels({
            getApiKey: () => keyVault.get('mistral'),
            baseUrl: options.mistralBaseUrl,
            signal,
          }),
        );
      }
    },
    close: () => catalog.close(),
  };

  function providerIds(): string[] {
    return [
      'mistral',
      ...(options.local ? ['local'] : []),
      ...settings.get().endpoints.map((endpoint) => ENDPOINT_PROVIDER_PREFIX + endpoint.id),
    ];
  }
}

/** The registry's shape. */
export type ModelRegistry = ReturnType<typeof createModelRegistry>;
