import { describe, expect, it } from 'vitest';
import { fake, startCore, useChatCore, waitForEnd } from '../../../testing/chatCore';
import { toChunks } from '../../../testing/fixtures/fakeMistralServer';

// Auto falls back on the interface language the page reported when a message says too little
// ("merci"), and asks for no rule at all when no page has reported one.

useChatCore();

async function systemPromptFor(text: string, uiLanguage?: 'fr' | 'de'): Promise<string> {
  const { call, events } = startCore();
  if (uiLanguage) await call('settings.setUiLanguage', { uiLanguage });
  const { id } = await call<{ id: string }>('conversations.create', { replyLanguage: null });
  const before = fake.requests.length;
  fake.queue.push({ kind: 'stream', chunks: toChunks('Avec plaisir.') });
  const { streamId } = await call<{ streamId: string }>('chat.send', { conversationId: id, text });
  await waitForEnd(events, streamId);
  const request = fake.requests[before]!;
  return JSON.stringify(request.body.messages ?? []);
}

describe('Auto and the interface language', () => {
  it('gives a short message the interface language the page reported', async () => {
    expect(await systemPromptFor('merci', 'fr')).toContain('Réponds toujours en français');
  });

  it('asks for no rule when the page never said its language', async () => {
    const sent = await systemPromptFor('merci');
    expect(sent).not.toContain('Réponds toujours');
    expect(sent).not.toContain('Always reply in');
  });

  it('refuses a language that is not a reply language', async () => {
    const { core, clientId } = startCore();
    const result = await core.dispatch(
      'settings.setUiLanguage',
      { uiLanguage: 'klingon' },
      { clientId },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});
