import { PRELOAD_GLOBAL } from '../../shared/contract';
import { appError, ResultEnvelopeSchema, type AppError } from '../../shared/errors';
import { hostAuthHeaders } from './hostToken';

/** Only the browser host has upload routes; in Electron the page reaches main through IPC. */
export const hostUploadsAvailable = (): boolean => !(PRELOAD_GLOBAL in window);

/** What an upload to the browser host came to; `status` names the refusals the page explains. */
export type UploadOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; error: AppError; status: 'tooLarge' | 'unauthorized' | 'failed' };

/**
 * Sends a file's bytes to one of the browser host's streaming routes (`/upload/model`,
 * `/upload/import`), which write them to disk as they arrive: no JSON call could carry them.
 * The token goes as a header, like every call of the page.
 */
export async function uploadToHost<T>(route: string, file: Blob): Promise<UploadOutcome<T>> {
  let response: Response;
  try {
    response = await fetch(route, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', ...hostAuthHeaders() },
      body: file,
    });
  } catch {
    return {
      ok: false,
      status: 'failed',
      error: appError('NETWORK', 'The upload did not reach Causerie.'),
    };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const parsed = ResultEnvelopeSchema.safeParse(body);
  if (parsed.success && parsed.data.ok) return { ok: true, value: parsed.data.value as T };
  const error = parsed.success
    ? (parsed.data as { error: AppError }).error
    : appError('INTERNAL', `The upload was answered with HTTP ${response.status}.`);
  const status =
    response.status === 413 ? 'tooLarge' : response.status === 401 ? 'unauthorized' : 'failed';
  return { ok: false, error, status };
}
