import { randomUUID } from 'node:crypto';
import { CoreError } from '../coreError';
import type { HandlerTable } from '../ipc/dispatcher';
import { ENDPOINT_PROVIDER_PREFIX } from '../models/modelRegistry';
import { isChatModel } from '../providers/chatProvider';
import { listMistralModels } from '../providers/mistral';
import { ENDPOINT_PRESETS } from '../providers/presets';
import { listOpenAiCompatibleModels } from '../providers/openaiCompatible';
import { describeKey } from '../settings/keyVault';
import type { CoreContext } from './coreContext';

type SettingsMethods =
  | 'settings.get'
  | 'settings.setMistralKey'
  | 'settings.testMistralKey'
  | 'models.list'
  | 'endpoints.list'
  | 'endpoints.add'
  | 'endpoints.remove'
  | 'endpoints.test'
  | 'settings.setModelTitles'
  | 'settings.setUiLanguage'
  | 'settings.setDefaults';

/** Keys, servers and the model catalogue. A key goes in; only `{configured, last4}` comes out. */
export function settingsHandlers(ctx: CoreContext): Pick<HandlerTable, SettingsMethods> {
  const endpointView = (endpoint: { id: string; name: string; baseUrl: string }) => ({
    ...endpoint,
    keyConfigured: ctx.keyVault.get(ENDPOINT_PROVIDER_PREFIX + endpoint.id) !== null,
  });
  const findEndpoint = (endpointId: string) => {
    const endpoint = ctx.settings.get().endpoints.find((e) => e.id === endpointId);
    if (!endpoint) throw new CoreError('NOT_FOUND', 'That server is no longer in Settings.');
    return endpoint;
  };

  return {
    'settings.get': () => {
      const key = describeKey(ctx.keyVault.get('mistral'));
      return {
        mistral: {
          keyConfigured: key.configured,
          keyLast4: key.last4,
          baseUrl: ctx.mistralBaseUrl,
        },
        defaultModel: ctx.conversations.configuredDefaultModel(),
        keyStorage: ctx.keyStorage,
        storeRecovery: ctx.storeRecovery,
        dataDir: ctx.dataDir,
        modelTitles: ctx.settings.get().modelTitles,
        defaults: ctx.settings.get().defaults,
      };
    },
    'settings.setDefaults': (change) => {
      // A model that cannot run (a removed server, a missing file) is refused here.
      if (change.model) ctx.models.resolve(change.model);
      const saved = ctx.settings.update((settings) => ({
        ...settings,
        defaults: {
          model: change.model === undefined ? settings.defaults.model : change.model,
          replyLanguage:
            change.replyLanguage === undefined
              ? settings.defaults.replyLanguage
              : change.replyLanguage,
          params: change.params === undefined ? settings.defaults.params : change.params,
        },
      }));
      return saved.defaults;
    },
    'settings.setModelTitles': ({ enabled }) => {
      const saved = ctx.settings.update((settings) => ({ ...settings, modelTitles: enabled }));
      return { modelTitles: saved.modelTitles };
    },
    'settings.setUiLanguage': ({ uiLanguage }) => {
      const saved = ctx.settings.update((settings) => ({ ...settings, uiLanguage }));
      return { uiLanguage: saved.uiLanguage ?? uiLanguage };
    },
    'settings.setMistralKey': ({ key, acceptWeakStorage }) => {
      ctx.keyVault.set('mistral', key, { acceptWeakStorage: acceptWeakStorage === true });
      ctx.models.keyChanged('mistral');
      ctx.broadcast({ name: 'models.changed', payload: {} });
      const described = describeKey(ctx.keyVault.get('mistral'));
      return { keyConfigured: described.configured, keyLast4: described.last4 };
    },
    'settings.testMistralKey': async () => {
      const models = await listMistralModels({
        getApiKey: () => ctx.keyVault.get('mistral'),
        baseUrl: ctx.mistralBaseUrl,
      });
      return { models: models.filter(isChatModel).length };
    },
    'models.list': async ({ refresh }) => {
      const groups = await ctx.models.groups(refresh === true);
      const endpoints = ctx.settings.get().endpoints;
      return {
        groups: groups.map((entry) => ({
          provider: entry.provider,
          name:
            entry.provider === 'mistral'
              ? 'Mistral'
              : entry.provider === 'local'
                ? 'Local'
                : (endpoints.find((e) => ENDPOINT_PROVIDER_PREFIX + e.id === entry.provider)
                    ?.name ?? entry.provider),
          available: entry.availability?.available ?? false,
          reason:
            entry.availability && !entry.availability.available ? entry.availability.message : null,
          reasonCode:
            entry.availability && !entry.availability.available ? entry.availability.reason : null,
          models: entry.models.map((info) => ({
            ref: { provider: entry.provider, model: info.id },
            displayName: info.displayName,
            contextLength: info.contextLength,
            capabilities: info.capabilities,
            deprecated: info.deprecated ?? null,
          })),
        })),
      };
    },
    'endpoints.list': () => ({
      endpoints: ctx.settings.get().endpoints.map(endpointView),
      presets: ENDPOINT_PRESETS.map((preset) => ({ ...preset })),
    }),
    'endpoints.add': ({ name, baseUrl, apiKey, acceptWeakStorage }) => {
      const endpoint = { id: randomUUID().slice(0, 8), name, baseUrl };
      // The key first: a vault that refuses it (KEY_STORAGE_WEAK) leaves no keyless server behind.
      if (apiKey) {
        ctx.keyVault.set(ENDPOINT_PROVIDER_PREFIX + endpoint.id, apiKey, {
          acceptWeakStorage: acceptWeakStorage === true,
        });
      }
      ctx.settings.update((settings) => ({
        ...settings,
        endpoints: [...settings.endpoints, endpoint],
      }));
      ctx.models.endpointAdded(endpoint);
      ctx.broadcast({ name: 'models.changed', payload: {} });
      return endpointView(endpoint);
    },
    'endpoints.remove': ({ endpointId }) => {
      findEndpoint(endpointId);
      ctx.settings.update((settings) => ({
        ...settings,
        endpoints: settings.endpoints.filter((e) => e.id !== endpointId),
      }));
      try {
        ctx.keyVault.set(ENDPOINT_PROVIDER_PREFIX + endpointId, null);
      } catch {
        // A read-only vault (keys from the environment) has nothing stored to remove.
      }
      ctx.models.endpointRemoved(endpointId);
      ctx.broadcast({ name: 'models.changed', payload: {} });
      return {};
    },
    'endpoints.test': async ({ endpointId }) => {
      const endpoint = findEndpoint(endpointId);
      const models = await listOpenAiCompatibleModels(endpoint, {
        getApiKey: () => ctx.keyVault.get(ENDPOINT_PROVIDER_PREFIX + endpointId),
      });
      return { models: models.length };
    },
  };
}
