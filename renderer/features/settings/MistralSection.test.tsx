import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/contract';
import { AppActionsContext, type AppActions } from '../../actions/appActions';
import { useAppStore } from '../../stores/useAppStore';
import { MistralSection } from './MistralSection';
import { mistralKeyInput } from './mistralKeyInput';

type Settings = MethodOutput<'settings.get'>;

const settings = (keyStorage: Settings['keyStorage']): Settings => ({
  mistral: { keyConfigured: false, keyLast4: null, baseUrl: 'https://api.mistral.ai' },
  defaultModel: { provider: 'mistral', model: 'mistral-small-latest' },
  keyStorage,
  storeRecovery: null,
  dataDir: '/data',
  modelTitles: true,
  defaults: { model: null, replyLanguage: null, params: null },
});

/** The section as the page shows it; rendering calls no action, so none is provided. */
function render(keyStorage: Settings['keyStorage']): string {
  Object.assign(initial, { settings: settings(keyStorage), uiLanguage: 'en' });
  return renderToStaticMarkup(
    <AppActionsContext.Provider value={{} as AppActions}>
      <MistralSection />
    </AppActionsContext.Provider>,
  );
}

// A server render reads the store's initial state (zustand's server snapshot), not the current
// one, so the test writes the settings there; there is no DOM here for a client render.
const initial = useAppStore.getInitialState();
const initialSettings = initial.settings;
afterEach(() => {
  Object.assign(initial, { settings: initialSettings });
});

describe('MistralSection and where keys are kept', () => {
  it('warns, recommends MISTRAL_API_KEY, and offers only "Store anyway" without a keychain', () => {
    const html = render('plain-text-warning');
    expect(html).toContain('only be obfuscated on disk');
    expect(html).toContain('MISTRAL_API_KEY');
    expect(html).toContain('Store anyway (obfuscated only)');
    expect(html).not.toContain('>Save key<');
    expect(html).toMatch(/<button[^>]*aria-describedby="key-storage-weak"/);
  });

  it('offers a plain "Save key" with a keychain, and no warning', () => {
    const html = render('os-keychain');
    expect(html).toContain('>Save key<');
    expect(html).not.toContain('Store anyway');
    expect(html).not.toContain('obfuscated');
  });

  it('offers no key field where nothing can encrypt keys', () => {
    const html = render('unavailable');
    expect(html).toContain('Keys cannot be saved on this system');
    expect(html).not.toContain('type="password"');
  });
});

describe('mistralKeyInput', () => {
  it('sends the acceptance only from the "Store anyway" button, never to remove a key', () => {
    expect(mistralKeyInput('sk-1', 'plain-text-warning')).toEqual({
      key: 'sk-1',
      acceptWeakStorage: true,
    });
    expect(mistralKeyInput(null, 'plain-text-warning')).toEqual({ key: null });
    expect(mistralKeyInput('sk-1', 'os-keychain')).toEqual({ key: 'sk-1' });
    expect(mistralKeyInput('sk-1', 'file')).toEqual({ key: 'sk-1' });
    expect(mistralKeyInput('sk-1', undefined)).toEqual({ key: 'sk-1' });
  });
});
