import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { GenerationParamsSchema, ModelRefSchema } from '../../../shared/domain';
import { ReplyLanguageCodeSchema } from '../../../shared/languages';
import type { Logger } from '../logger';

/** The settings file inside the data folder (keys are not here: they live in the key vault). */
export const SETTINGS_FILE_NAME = 'settings.json';

const EndpointConfigSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: z.string().min(1).max(80),
  baseUrl: z.string().url(),
});
/** An OpenAI-compatible server the user added (its key, if any, is in the key vault). */
export type EndpointConfig = z.infer<typeof EndpointConfigSchema>;

/** What a new conversation starts with; null leaves it to the app (model) or to Auto (language). */
const ConversationDefaultsSchema = z.object({
  model: ModelRefSchema.nullable().catch(null),
  replyLanguage: ReplyLanguageCodeSchema.nullable().catch(null),
  params: GenerationParamsSchema.nullable().catch(null),
});
/** What a new conversation starts with. */
export type ConversationDefaults = z.infer<typeof ConversationDefaultsSchema>;

const NO_DEFAULTS: ConversationDefaults = { model: null, replyLanguage: null, params: null };

const AppSettingsSchema = z.object({
  endpoints: z.array(EndpointConfigSchema).default([]),
  /** A damaged entry falls back to no default rather than making the whole file unreadable. */
  defaults: ConversationDefaultsSchema.catch(NO_DEFAULTS).default(NO_DEFAULTS),
  /** A new conversation's model writes its title after the first reply (else: its first words). */
  modelTitles: z.boolean().default(true),
  /** The interface language the page last reported: what Auto falls back on when nothing is clear. */
  uiLanguage: ReplyLanguageCodeSchema.nullable().catch(null).default(null),
});
/** Settings kept across launches. */
export type AppSettings = z.infer<typeof AppSettingsSchema>;

/** Reads and writes `settings.json`; a damaged file is kept aside and defaults are used. */
export function createAppSettingsStore(dataDir: string, logger: Logger) {
  const file = path.join(dataDir, SETTINGS_FILE_NAME);
  let current = load();

  function load(): AppSettings {
    let raw: string;
    try {
      raw = readFileSync(file, 'utf8');
    } catch {
      return AppSettingsSchema.parse({});
    }
    try {
      return AppSettingsSchema.parse(JSON.parse(raw));
    } catch (error) {
      const aside = `${file}.unreadable-${Date.now()}`;
      try {
        renameSync(file, aside);
      } catch {
        // Keeping the defaults matters more than moving the file.
      }
      logger.warn('settings.unreadable', { movedTo: aside, error });
      return AppSettingsSchema.parse({});
    }
  }

  function save(next: AppSettings): void {
    const temp = `${file}.${randomUUID()}.tmp`;
    writeFileSync(temp, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
    renameSync(temp, file);
    current = next;
  }

  return {
    get: (): AppSettings => current,
    update(change: (settings: AppSettings) => AppSettings): AppSettings {
      save(change(current));
      return current;
    },
  };
}

/** The settings store's shape. */
export type AppSettingsStore = ReturnType<typeof createAppSettingsStore>;
