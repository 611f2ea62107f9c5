// Plants one violation of each layer rule and checks that `npm run lint` would fail on it, with the
// rule that should catch it. The planted code is handed to ESLint as the text of an existing file
// of that layer (so the type-aware rules can parse it); nothing is written to the tree.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: import.meta.dirname });

async function rulesFiredOn(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((message) => message.ruleId ?? message.message);
}

const planted: Array<{ rule: string; file: string; code: string }> = [
  // The core's table: store/ and providers/ never import chat/ or handlers/; chat/ never handlers/.
  {
    rule: 'core: store → chat',
    file: 'electron/core/store/statements.ts',
    code: `import { createChatService } from '../chat/chatService';\nvoid createChatService;\n`,
  },
  {
    rule: 'core: store → handlers',
    file: 'electron/core/store/repos/branches.ts',
    code: `import { chatHandlers } from '../../handlers/chatHandlers';\nvoid chatHandlers;\n`,
  },
  {
    rule: 'core: providers → chat',
    file: 'electron/core/providers/presets.ts',
    code: `import { createChatService } from '../chat/chatService';\nvoid createChatService;\n`,
  },
  {
    rule: 'core: chat → handlers',
    file: 'electron/core/chat/autoTitle.ts',
    code: `import { chatHandlers } from '../handlers/chatHandlers';\nvoid chatHandlers;\n`,
  },
  {
    rule: 'core: handlers → createCore',
    file: 'electron/core/handlers/coreContext.ts',
    code: `import { createCore } from '../createCore';\nvoid createCore;\n`,
  },
  // The renderer's table.
  {
    rule: 'renderer: feature → App',
    file: 'renderer/features/thread/Thread.tsx',
    code: `import { App } from '../../App';\nvoid App;\n`,
  },
  {
    rule: 'renderer: feature → another feature',
    file: 'renderer/features/composer/ModelPicker.tsx',
    code: `import { TrashPanel } from '../trash/TrashPanel';\nvoid TrashPanel;\n`,
  },
  {
    rule: 'renderer: markdown → feature',
    file: 'renderer/markdown/safeUrl.ts',
    code: `import { Composer } from '../features/composer/Composer';\nvoid Composer;\n`,
  },
  {
    rule: 'renderer: actions → markdown',
    file: 'renderer/actions/hashRouting.ts',
    code: `import { MarkdownView } from '../markdown/MarkdownView';\nvoid MarkdownView;\n`,
  },
  {
    rule: 'renderer: actions → feature',
    file: 'renderer/actions/hashRouting.ts',
    code: `import { Composer } from '../features/composer/Composer';\nvoid Composer;\n`,
  },
  {
    rule: 'renderer: stores → actions',
    file: 'renderer/stores/sessionSlice.ts',
    code: `import { createAppActions } from '../actions/appActions';\nvoid createAppActions;\n`,
  },
  {
    rule: 'renderer: ui → features',
    file: 'renderer/ui/Dialog.tsx',
    code: `import { Composer } from '../features/composer/Composer';\nvoid Composer;\n`,
  },
  {
    rule: 'renderer: lib → stores',
    file: 'renderer/lib/transport.ts',
    code: `import { useAppStore } from '../stores/useAppStore';\nvoid useAppStore;\n`,
  },
];

describe('the layer tables in eslint.layers.js', () => {
  it.each(planted)('fails lint on a planted violation: $rule', async ({ file, code }) => {
    expect(await rulesFiredOn(file, code)).toContain('import-x/no-restricted-paths');
  });

  it('allows the same imports downward (the planted files are otherwise clean)', async () => {
    expect(
      await rulesFiredOn(
        'electron/core/chat/autoTitle.ts',
        `import { openDatabase } from '../store/openDatabase';\nvoid openDatabase;\n`,
      ),
    ).toEqual([]);
  });
});

describe('the other import rules', () => {
  it('fails lint on an import cycle', async () => {
    // createCore imports (through handlers) coreError; coreError importing createCore back closes a loop.
    expect(
      await rulesFiredOn(
        'electron/core/coreError.ts',
        `import { createCore } from './createCore';\nexport const planted = createCore;\n`,
      ),
    ).toContain('import-x/no-cycle');
  });

  it('fails lint when the core imports electron, the renderer Node, or shared/ an app folder', async () => {
    expect(
      await rulesFiredOn('electron/core/config.ts', `import { app } from 'electron';\nvoid app;\n`),
    ).toContain('no-restricted-imports');
    expect(
      await rulesFiredOn(
        'renderer/lib/transport.ts',
        `import { readFileSync } from 'node:fs';\nvoid readFileSync;\n`,
      ),
    ).toContain('no-restricted-imports');
    expect(
      await rulesFiredOn(
        'shared/bidiControls.ts',
        `import { api } from '../renderer/lib/api';\nvoid api;\n`,
      ),
    ).toContain('no-restricted-imports');
  });

  it('fails lint on a floating promise', async () => {
    expect(
      await rulesFiredOn(
        'electron/core/chat/autoTitle.ts',
        `async function later(): Promise<void> {}\nlater();\n`,
      ),
    ).toContain('@typescript-eslint/no-floating-promises');
  });
});
