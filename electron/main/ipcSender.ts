import { appError, type AppError } from '../../shared/errors';
import { isAppUrl } from './navigation';

/** What the main process knows about who sent an IPC message, reduced to plain data. */
export interface IpcSenderInfo {
  /** The URL of the sending frame; `null` when the frame has already navigated away or gone. */
  frameUrl: string | null;
  /** Whether the sending frame is its page's top frame; the app never loads sub-frames. */
  isMainFrame: boolean;
  /** The id of the sending `webContents`. */
  webContentsId: number;
}

/**
 * Refuses calls that do not come from the top frame of a window we created, showing our own
 * origin. Returns the error to send back, or `null` when the sender is trusted.
 */
export function checkIpcSender(
  sender: IpcSenderInfo,
  trustedWebContentsIds: ReadonlySet<number>,
): AppError | null {
  const trusted =
    trustedWebContentsIds.has(sender.webContentsId) &&
    sender.isMainFrame &&
    sender.frameUrl !== null &&
    isAppUrl(sender.frameUrl);
  return trusted ? null : appError('VALIDATION', 'This call came from an unknown page.', false);
}
