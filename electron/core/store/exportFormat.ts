/**
 * The Causerie export file, version 1: every conversation with all its branches, and the folders.
 * The schemas are what an import checks a file against (exportImport.ts).
 */
import { z } from 'zod';
import {
  GenerationParamsSchema,
  IdSchema,
  MAX_SYSTEM_PROMPT_CHARS,
  MessageStatusSchema,
  ModelRefSchema,
  UsageSchema,
} from '../../../shared/domain';
import { AppErrorSchema } from '../../../shared/errors';

/** The `format` tag of a Causerie export file. */
export const EXPORT_FORMAT = 'causerie-export';
/** The export format version this build writes and the newest it reads. */
export const EXPORT_VERSION = 1;

const TimestampSchema = z.number().int().nonnegative();

/** One message in an export: every branch is kept, linked by `parentId`. */
export const ExportMessageSchema = z.object({
  id: IdSchema,
  parentId: IdSchema.nullable(),
  role: z.enum(['user', 'assistant', 'system']),
  content: z.string().max(10_000_000),
  status: MessageStatusSchema,
  model: ModelRefSchema.nullable(),
  usage: UsageSchema.nullable(),
  error: AppErrorSchema.nullable(),
  replyLanguage: z.string().max(64).nullish(),
  detectedLanguage: z.string().max(64).nullish(),
  ttftMs: z.number().nonnegative().nullish(),
  tokensPerSec: z.number().nonnegative().nullish(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
/** One message in an export. */
export type ExportMessage = z.infer<typeof ExportMessageSchema>;

/** One conversation in an export, with all its messages. */
export const ExportConversationSchema = z.object({
  id: IdSchema,
  title: z.string().max(10_000),
  model: ModelRefSchema,
  // The same limits as `conversations.update`: an imported conversation must be one the app can
  // go on chatting in (a bad `params` made every later chat in it fail).
  systemPrompt: z.string().max(MAX_SYSTEM_PROMPT_CHARS).nullish(),
  replyLanguage: z.string().max(64).nullish(),
  params: GenerationParamsSchema.nullish(),
  pinned: z.boolean().optional(),
  archived: z.boolean().optional(),
  folderId: IdSchema.nullish(),
  activeLeafId: IdSchema.nullish(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  messages: z.array(ExportMessageSchema),
});
/** One conversation in an export. */
export type ExportConversation = z.infer<typeof ExportConversationSchema>;

/** A folder in an export. */
export const ExportFolderSchema = z.object({
  id: IdSchema,
  name: z.string().min(1).max(200),
  createdAt: TimestampSchema,
});

/** A whole export file, version 1. */
export const CauserieExportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: TimestampSchema,
  folders: z.array(ExportFolderSchema),
  conversations: z.array(ExportConversationSchema),
});
/** A whole export file, version 1. */
export type CauserieExport = z.infer<typeof CauserieExportSchema>;
