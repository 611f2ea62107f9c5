/**
 * The models Causerie offers to download, kept as data in catalogue.json and checked on load so a
 * bad edit fails the tests instead of the download.
 */
import { z } from 'zod';
import catalogueData from './catalogue.json' with { type: 'json' };
import type { DownloadRequest } from './modelManager';

/** One downloadable model. */
export const CatalogueEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9._-]+$/),
  name: z.string().min(1),
  fileName: z.string().regex(/^[^/\\]+\.gguf$/),
  /** https, or plain http to this machine only (a mirror or a test server on loopback). */
  url: z
    .url()
    .refine(
      (url) =>
        url.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url),
      'Catalogue URLs must be https (or http on this machine).',
    ),
  /** Exact size in bytes; null until verified against the source. */
  sizeBytes: z.number().int().positive().nullable(),
  /** For display and the up-front disk-space check while `sizeBytes` is unknown. */
  approximateSizeBytes: z.number().int().positive(),
  /** Lower-case hex sha256; null until verified against the source. */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  licence: z.string().min(1),
  contextLength: z.number().int().positive(),
  parameterCount: z.number().int().positive(),
  quantization: z.string(),
  /** True when `sha256` is a published checksum; false (and `sha256` null) otherwise. */
  verified: z.boolean(),
  /** Where the checksum was published (for a reviewer). */
  $source: z.string().optional(),
});
/** One downloadable model. */
export type CatalogueEntry = z.infer<typeof CatalogueEntrySchema>;

/** The catalogue, validated. */
export const CATALOGUE: readonly CatalogueEntry[] = z
  .object({ models: z.array(CatalogueEntrySchema) })
  .parse(catalogueData).models;

/** What the downloader needs for a catalogue entry. */
export function downloadRequestFor(entry: CatalogueEntry): DownloadRequest {
  return {
    url: entry.url,
    fileName: entry.fileName,
    sha256: entry.sha256,
    sizeBytes: entry.sizeBytes,
    approximateSizeBytes: entry.approximateSizeBytes,
  };
}

/**
 * The built-in catalogue plus, when given, entries from an extra JSON file of the same shape
 * (`CAUSERIE_EXTRA_CATALOGUE`): models can be added without code changes.
 */
export function loadCatalogue(extra: unknown): CatalogueEntry[] {
  if (extra === undefined) return [...CATALOGUE];
  const added = z.object({ models: z.array(CatalogueEntrySchema) }).parse(extra).models;
  const ids = new Set(added.map((entry) => entry.id));
  return [...CATALOGUE.filter((entry) => !ids.has(entry.id)), ...added];
}
