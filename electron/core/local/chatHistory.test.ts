import { describe, expect, it } from 'vitest';
import { toChatHistory } from './chatHistory';

describe('local chat history', () => {
  it('ends an ordinary request with an empty model turn to write', () => {
    expect(
      toChatHistory([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ]),
    ).toEqual([
      { type: 'system', text: 'Be brief.' },
      { type: 'user', text: 'Hi' },
      { type: 'model', response: [] },
    ]);
  });

  it('continues a partial reply: it is the open model turn, not a finished one', () => {
    expect(
      toChatHistory([
        { role: 'user', content: 'Tell me a story' },
        { role: 'assistant', content: 'Once upon a' },
      ]),
    ).toEqual([
      { type: 'user', text: 'Tell me a story' },
      { type: 'model', response: ['Once upon a'] },
    ]);
  });
});
