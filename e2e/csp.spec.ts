import { expect, test, type Page } from '@playwright/test';
import { RENDERER_CSP } from '../shared/contentSecurityPolicy';
import { useSharedHost } from '../testing/fixtures/sharedHost';

const KEY = 'e2e-key-csp-000000000000';
const shared = useSharedHost(KEY);

// The fake provider echoes the message: math of every kind (fractions, roots, matrices, sizes,
// colours), highlighted code, an aligned table (a React style prop) and a task list.
const MARKDOWN = [
  'Inline $\\frac{a}{b} + \\sqrt{x^2+1}$ and \\(e^{i\\pi}\\), coloured $\\color{red}{r}$.',
  '',
  '$$\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix} \\Bigg( \\int_0^\\infty \\dfrac{1}{1+t^2}\\,dt \\Bigg)$$',
  '',
  '| left | right |',
  '|:---|---:|',
  '| a | b |',
  '',
  '```python',
  'def answer():',
  '    return 42  # highlighted',
  '```',
  '',
  '- [x] done',
].join('\n');

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
  source: string;
}

/** Collects every CSP violation the page reports, from its first script on. */
async function watchViolations(page: Page): Promise<() => Promise<Violation[]>> {
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) consoleErrors.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: unknown[] = [];
    (window as unknown as { __cspViolations: unknown[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        sample: event.sample,
        source: `${event.sourceFile}:${event.lineNumber}`,
      });
    });
  });
  return async () => {
    const reported = await page.evaluate(
      () => (window as unknown as { __cspViolations: Violation[] }).__cspViolations,
    );
    return [
      ...reported,
      ...consoleErrors.map((text) => ({
        directive: 'console',
        blocked: '',
        sample: text,
        source: '',
      })),
    ];
  };
}

test('the page runs under its CSP without a single violation, and math keeps its layout', async ({
  page,
}) => {
  const violations = await watchViolations(page);
  const response = await page.goto(shared.host.url);
  // The browser host sends the one policy the Electron app scheme sends (both import it).
  expect(response?.headers()['content-security-policy']).toBe(RENDERER_CSP);

  await page.getByRole('button', { name: 'New chat' }).click();
  await page.getByRole('textbox', { name: 'Message' }).fill(MARKDOWN);
  await page.getByRole('button', { name: 'Send' }).click();
  const reply = page.getByRole('log', { name: 'Messages' }).locator('li.message-assistant');
  await expect(reply.locator('.katex')).toHaveCount(4);
  await expect(reply.locator('code.language-python .hljs-keyword').first()).toHaveText('def');
  await expect(reply.getByRole('table')).toContainText('right');

  // KaTeX lays formulas out with style="" attributes (strut heights, vlist offsets, sizes): if
  // the CSP blocked them, struts would collapse to nothing and fractions would lose their bar.
  const layout = await reply.evaluate((root) => {
    const height = (selector: string) =>
      [...root.querySelectorAll<HTMLElement>(selector)].map(
        (e) => e.getBoundingClientRect().height,
      );
    const bar = root.querySelector<HTMLElement>('.katex .frac-line');
    const colored = [...root.querySelectorAll<HTMLElement>('.katex-html span')].find(
      (e) => e.textContent === 'r' && e.style.color !== '',
    );
    return {
      struts: height('.katex .katex-strut, .katex .strut, .katex .pstrut'),
      fracLine: bar ? parseFloat(getComputedStyle(bar).borderBottomWidth) : 0,
      fontFamily: getComputedStyle(root.querySelector('.katex')!).fontFamily,
      red: colored ? getComputedStyle(colored).color : null,
      rightCell: getComputedStyle(root.querySelector('td:last-child')!).textAlign,
    };
  });
  expect(layout.struts.length).toBeGreaterThan(0);
  for (const h of layout.struts) expect(h).toBeGreaterThan(0);
  expect(layout.fracLine).toBeGreaterThan(0);
  expect(layout.fontFamily).toContain('KaTeX_Main');
  expect(layout.red).toBe('rgb(255, 0, 0)');
  expect(layout.rightCell).toBe('right');

  // The rest of the page: settings, the shortcuts panel, the conversation list.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+/');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'New chat' }).click();

  expect(await violations()).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('csp.png'), fullPage: true });
});
