import type { Root } from 'hast';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { highlightHere } from './highlight';
import { renderHighlighted } from './safeHast';

const html = (tree: Root) => renderToStaticMarkup(<code>{renderHighlighted(tree)}</code>);

describe('renderHighlighted', () => {
  it('renders lowlight output as spans with hljs class names', async () => {
    const tree = await highlightHere('def greet(name):\n    return 1', 'python');
    const markup = html(tree!);
    expect(markup).toContain('<span class="hljs-keyword">def</span>');
    expect(markup).toContain('<span class="hljs-title function_">greet</span>');
    expect(markup.replace(/<[^>]+>/g, '')).toBe('def greet(name):\n    return 1');
  });

  it('keeps only text and class names from anything else in a tree', () => {
    const hostile: Root = {
      type: 'root',
      children: [
        {
          type: 'element',
          tagName: 'img',
          properties: { src: 'https://evil.example/x', onError: 'alert(1)' },
          children: [{ type: 'text', value: 'img text' }],
        },
        {
          type: 'element',
          tagName: 'span',
          properties: {
            className: ['hljs-string', 'x" onclick="alert(1)', 42 as unknown as string],
            style: 'background:url(https://evil.example)',
            onClick: 'alert(1)',
          },
          children: [{ type: 'text', value: '<script>alert(1)</script>' }],
        },
        { type: 'raw', value: '<b>raw</b>' } as never,
        { type: 'comment', value: 'c' },
      ],
    };
    expect(html(hostile)).toBe(
      '<code>img text<span class="hljs-string">&lt;script&gt;alert(1)&lt;/script&gt;</span></code>',
    );
  });
});
