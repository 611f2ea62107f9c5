// Model-written titles through a real core, and the first-words title they replace.
import { describe, expect, it } from 'vitest';
import { FAKE_MODEL_TITLES, toChunks } from '../../../testing/fixtures/fakeMistralServer';
import {
  fake,
  startCore,
  until,
  useChatCore,
  waitForEnd,
  type ChatCoreHarness,
} from '../../../testing/chatCore';
import type { AnyEvent } from '../../../shared/contract';
import { fallbackTitle } from '../../../shared/conversationTitle';
import type { Conversation, Message } from '../../../shared/domain';

useChatCore();

describe('first-words titles', () => {
  it('titles from the first words without splitting characters', () => {
    expect(fallbackTitle('  Bonjour\n  le monde ')).toBe('Bonjour le monde');
    const long = '我们的数据库很快'.repeat(10);
    const title = fallbackTitle(long, 10);
    expect(Array.from(title)).toHaveLength(10);
    expect(title.endsWith('…')).toBe(true);
  });
});

describe('model-written titles', () => {
  function changes(events: AnyEvent[]): Conversation[] {
    return events.flatMap((e) =>
      e.name === 'conversations.changed' ? [e.payload.conversation] : [],
    );
  }

  async function firstExchange(harness: ChatCoreHarness, text: string, replyLanguage?: string) {
    const { call, events } = harness;
    const conversation = await call<{ id: string }>(
      'conversations.create',
      replyLanguage ? { replyLanguage } : {},
    );
    const sent = await call<{ streamId: string }>('chat.send', {
      conversationId: conversation.id,
      text,
    });
    const end = await waitForEnd(events, sent.streamId);
    return { conversationId: conversation.id, end };
  }

  async function titleOf(harness: ChatCoreHarness, conversationId: string) {
    const list = await harness.call<{ conversations: Conversation[] }>('conversations.list', {});
    return list.conversations.find((c) => c.id === conversationId)?.title;
  }

  it('asks the model after the first reply, in French for a French conversation, and tells every page', async () => {
    const harness = startCore();
    const otherPage: AnyEvent[] = [];
    harness.core.connectClient((event) => otherPage.push(event));
    const requestsBefore = fake.requests.length;
    const titlesBefore = fake.titleRequests.length;
    const text = 'Bonjour ! Peux-tu me donner une recette de ratatouille provençale ? #title';
    const { conversationId, end } = await firstExchange(harness, text);
    expect(end.name).toBe('chat.done');
    const [changed] = await until(
      () => changes(harness.events).length > 0 && changes(harness.events),
      'a title',
    );
    expect(changed).toMatchObject({ id: conversationId, title: FAKE_MODEL_TITLES.French });
    await until(() => changes(otherPage).length > 0, 'the title on the other page');
    expect(await titleOf(harness, conversationId)).toBe(FAKE_MODEL_TITLES.French);

    // One title request, in French, with the exchange; it is neither a turn nor a message.
    expect(fake.titleRequests.length - titlesBefore).toBe(1);
    const asked = fake.titleRequests.at(-1)?.body;
    expect(asked?.model).toBe('mistral-small-latest');
    expect(asked?.messages?.[0]?.content).toContain('Write the title in French.');
    expect(asked?.messages?.[1]?.content).toContain('recette de ratatouille');
    expect(fake.requests.length - requestsBefore).toBe(1);
    const opened = await harness.call<{ messages: Message[] }>('conversations.open', {
      conversationId,
    });
    expect(opened.messages).toHaveLength(2);

    // Later turns keep the title and ask for no other.
    const next = await harness.call<{ streamId: string }>('chat.send', {
      conversationId,
      text: 'Merci #title',
    });
    await waitForEnd(harness.events, next.streamId);
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.titleRequests.length - titlesBefore).toBe(1);
  });

  it('writes the title in the forced reply language', async () => {
    const harness = startCore();
    const { conversationId } = await firstExchange(
      harness,
      'Bonjour, parlons de jardinage #title',
      'en',
    );
    await until(() => changes(harness.events).length > 0, 'a title');
    expect(await titleOf(harness, conversationId)).toBe(FAKE_MODEL_TITLES.English);
    expect(fake.titleRequests.at(-1)?.body.messages?.[0]?.content).toContain(
      'Write the title in English.',
    );
  });

  it.each([
    ['the title request fails', '#title-fail', 'chat.title.failed'],
    ['the model answers junk', '#title-junk', 'chat.title.unusable'],
    ['the model answers nothing', '(no marker)', 'chat.title.unusable'],
  ])('keeps the first words when %s', async (_case, marker, logEvent) => {
    const harness = startCore();
    const text = `Bonjour, une question simple ${marker}`;
    const { conversationId, end } = await firstExchange(harness, text);
    expect(end.name).toBe('chat.done');
    await until(() => harness.logger.lines.some((line) => line.includes(logEvent)), logEvent);
    expect(await titleOf(harness, conversationId)).toBe(fallbackTitle(text));
    expect(changes(harness.events)).toEqual([]);
    // Nothing reaches the page: no error event, no error on the reply.
    expect(harness.events.filter((e) => e.name === 'chat.error')).toEqual([]);
  });

  it('never replaces a title the user chose while the model was thinking', async () => {
    const harness = startCore();
    fake.titleQueue.push({ kind: 'stream', chunks: ['Model', ' title'], firstChunkDelayMs: 400 });
    const titlesBefore = fake.titleRequests.length;
    const { conversationId } = await firstExchange(harness, 'Hello there');
    await until(() => fake.titleRequests.length > titlesBefore, 'the title request');
    await harness.call('conversations.rename', { conversationId, title: 'Mine' });
    await until(
      () => harness.logger.lines.some((line) => line.includes('chat.title.superseded')),
      'the superseded title',
    );
    expect(await titleOf(harness, conversationId)).toBe('Mine');
    expect(changes(harness.events)).toEqual([]);
  });

  it('asks nothing when the setting is off, and the setting survives a restart', async () => {
    const harness = startCore();
    expect(await harness.call('settings.setModelTitles', { enabled: false })).toEqual({
      modelTitles: false,
    });
    const titlesBefore = fake.titleRequests.length;
    const text = 'Bonjour, parlons de musique #title';
    const { conversationId } = await firstExchange(harness, text);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.titleRequests.length).toBe(titlesBefore);
    expect(await titleOf(harness, conversationId)).toBe(fallbackTitle(text));
    await harness.core.close();
    const restarted = startCore(harness.dataDir);
    expect(await restarted.call<{ modelTitles: boolean }>('settings.get', {})).toMatchObject({
      modelTitles: false,
    });
  });

  it('titles a conversation once its continued first reply completes', async () => {
    const harness = startCore();
    const { call, events } = harness;
    const { id } = await call<{ id: string }>('conversations.create', {});
    fake.queue.push({ kind: 'disconnect', chunks: toChunks('La moitié'), delayMs: 5 });
    const titlesBefore = fake.titleRequests.length;
    const sent = await call<{ streamId: string; assistantMessage: Message }>('chat.send', {
      conversationId: id,
      text: 'Bonjour, raconte-moi une histoire #title',
    });
    expect((await waitForEnd(events, sent.streamId)).name).toBe('chat.error');
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.titleRequests.length).toBe(titlesBefore);
    fake.queue.push({ kind: 'stream', chunks: [' d’une histoire.'] });
    const continued = await call<{ streamId: string }>('chat.continue', {
      messageId: sent.assistantMessage.id,
    });
    await waitForEnd(events, continued.streamId);
    await until(() => changes(events).length > 0, 'a title');
    expect(await titleOf(harness, id)).toBe(FAKE_MODEL_TITLES.French);
    expect(fake.titleRequests.at(-1)?.body.messages?.[1]?.content).toContain(
      'La moitié d’une histoire.',
    );
  });
});
