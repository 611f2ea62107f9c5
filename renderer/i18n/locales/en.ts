/** English: the reference locale. Every other locale must have exactly these keys. */
export const en = {
  'app.name': 'Causerie',
  'sidebar.label': 'Sidebar',
  'sidebar.newChat': 'New chat',
  'sidebar.conversations': 'Conversations',
  'sidebar.empty': 'No conversations yet.',
  'conversation.untitled': 'New chat',
  'thread.label': 'Thread',
  'thread.messages': 'Messages',
  'thread.emptyTitle': 'Bonjour !',
  'thread.emptyHint': 'Start a conversation: type a message below.',
  'message.you': 'You',
  'message.assistant': 'Assistant',
  'message.status.cancelled': 'Stopped',
  'message.status.interrupted': 'Interrupted: the app closed while this reply was being written',
  'composer.message': 'Message',
  'composer.placeholder': 'Message Causerie…',
  'composer.send': 'Send',
  'composer.stop': 'Stop',
  'markdown.copyCode': 'Copy',
  'markdown.copied': 'Copied',
  'markdown.imageBlocked': 'Image from {host} not loaded',
  'notice.noKey':
    'No Mistral API key is set. Get one at console.mistral.ai, then start Causerie with the MISTRAL_API_KEY environment variable set. Your messages are saved either way.',
  'notice.disconnected': 'Lost contact with the Causerie back end. Reconnecting…',
  'notice.dismiss': 'Dismiss',
  'errors.VALIDATION': 'The request was refused: {detail}',
  'errors.NOT_FOUND': 'This item no longer exists.',
  'errors.NOT_CONFIGURED': 'No Mistral API key is set. Set MISTRAL_API_KEY and restart Causerie.',
  'errors.PROVIDER_AUTH': 'API key rejected. Check your key and that it is still active.',
  'errors.PAYMENT_REQUIRED': 'Payment required: the provider account has no active plan or credit.',
  'errors.RATE_LIMITED': 'The provider is rate-limiting requests. Wait a moment and try again.',
  'errors.PROVIDER_ERROR': 'The provider had a problem: {detail}',
  'errors.NETWORK': 'The connection was lost. The partial reply was kept.',
  'errors.TIMEOUT': 'The provider stopped answering. The partial reply was kept.',
  'errors.CANCELLED': 'Stopped.',
  'errors.MODEL_LOAD': 'The local model could not be loaded: {detail}',
  'errors.STORAGE': 'Saving failed: {detail}',
  'errors.INTERNAL': 'Something went wrong inside Causerie. The details are in the log.',
} as const;

/** A message key. */
export type MessageKey = keyof typeof en;
/** A complete locale: every key, translated. */
export type Locale = Record<MessageKey, string>;
