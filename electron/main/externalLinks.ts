import type { MessageBoxOptions } from 'electron';
import { isPublicAddress } from '../core/images/imageAddresses';
import { isAllowedExternalUrl } from './navigation';

/** Why a link needs the user's word before it leaves the app. */
export type ConfirmReason = 'local-address' | 'mailto-fields';

/** What to do with a link the page asked to open outside the app. */
export type ExternalLinkDecision =
  | { action: 'refuse' }
  | { action: 'open'; url: string }
  | { action: 'confirm'; url: string; host: string; reason: ConfirmReason };

// Names that only this machine or the local network answers; a single-label name ("router",
// "intranet") goes to the local search domain too.
const LOCAL_NAME_SUFFIXES = ['.localhost', '.local', '.internal', '.lan', '.home.arpa'];

/**
 * Whether a URL's host is this computer or the local network: loopback, private, link-local,
 * CGNAT, unique-local and IPv4-mapped forms of them (the core's image rule decides, through
 * ipaddr.js), `localhost` and local-only names. The WHATWG parser has already turned
 * `2130706433`, `0x7f.1` and `017700000001` into `127.0.0.1`.
 */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  const literal = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (/^[\d.]+$/.test(literal) || literal.includes(':')) return !isPublicAddress(literal);
  if (host === 'localhost' || !host.includes('.')) return true;
  return LOCAL_NAME_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

/**
 * Decides what happens to a link from the page. A link to this computer or the local network
 * can reach a router's admin page or a local service with the user's cookies, and a `mailto:`
 * with fields (`?body=`, `?cc=`, `?attach=`) can pre-fill a message the user did not write;
 * both open only after a dialog that shows the whole address. The URL handed on is the parsed
 * one, so what the dialog shows is exactly what opens.
 */
export function decideExternalLink(raw: string): ExternalLinkDecision {
  if (!isAllowedExternalUrl(raw)) return { action: 'refuse' };
  const parsed = new URL(raw);
  const url = parsed.href;
  if (parsed.protocol === 'mailto:') {
    return parsed.search.length > 1
      ? { action: 'confirm', url, host: '', reason: 'mailto-fields' }
      : { action: 'open', url };
  }
  return isLocalHost(parsed.hostname)
    ? { action: 'confirm', url, host: parsed.host, reason: 'local-address' }
    : { action: 'open', url };
}

type DialogLanguage = 'en' | 'fr' | 'zh';

const DIALOG_TEXT: Record<
  DialogLanguage,
  Record<ConfirmReason, { message: string; detail: string }> & { open: string; cancel: string }
> = {
  en: {
    open: 'Open',
    cancel: 'Cancel',
    'local-address': {
      message: 'Open a link to this computer or your local network?',
      detail:
        'The link points to {host}, which is this computer or a device on your network (a router, a printer, a local service). Open it only if you expected this address.',
    },
    'mailto-fields': {
      message: 'Open this e-mail link?',
      detail:
        'The link fills in more than the recipient (subject, text, copies or attachments). Check the whole message in your e-mail program before you send it.',
    },
  },
  fr: {
    open: 'Ouvrir',
    cancel: 'Annuler',
    'local-address': {
      message: 'Ouvrir un lien vers cet ordinateur ou votre réseau local ?',
      detail:
        'Le lien mène à {host}, c’est-à-dire cet ordinateur ou un appareil de votre réseau (box, imprimante, service local). Ne l’ouvrez que si vous attendiez cette adresse.',
    },
    'mailto-fields': {
      message: 'Ouvrir ce lien de courriel ?',
      detail:
        'Le lien remplit plus que le destinataire (objet, texte, copies ou pièces jointes). Vérifiez tout le message dans votre logiciel de courriel avant de l’envoyer.',
    },
  },
  zh: {
    open: '打开',
    cancel: '取消',
    'local-address': {
      message: '打开指向本机或局域网的链接？',
      detail:
        '该链接指向 {host}，即本机或您网络中的设备（路由器、打印机、本地服务）。仅当您预期此地址时才打开。',
    },
    'mailto-fields': {
      message: '打开此电子邮件链接？',
      detail:
        '该链接除收件人外还预填了其他内容（主题、正文、抄送或附件）。发送前请在邮件程序中检查整封邮件。',
    },
  },
};

/** The dialog's language from the system locale (`app.getLocale()`), English otherwise. */
export function dialogLanguage(locale: string): DialogLanguage {
  const primary = locale.toLowerCase().split(/[-_]/)[0];
  return primary === 'fr' || primary === 'zh' ? primary : 'en';
}

/** Button index of "Open" in {@link confirmationDialog}; Cancel is the default and Esc. */
export const OPEN_BUTTON = 0;

/** The confirmation dialog for a link that needs one; the full address is always shown. */
export function confirmationDialog(
  decision: Extract<ExternalLinkDecision, { action: 'confirm' }>,
  locale: string,
): MessageBoxOptions {
  const text = DIALOG_TEXT[dialogLanguage(locale)];
  const { message, detail } = text[decision.reason];
  return {
    type: 'warning',
    buttons: [text.open, text.cancel],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
    message,
    detail: `${detail.replace('{host}', decision.host)}\n\n${decision.url}`,
  };
}
