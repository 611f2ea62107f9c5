// First: configures zod before any schema is built (see the module).
import './lib/zodJitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PRELOAD_GLOBAL, type PreloadBridge } from '../shared/contract';
import { AppActionsContext, createAppActions } from './actions/appActions';
import { App } from './App';
import { createApiClient } from './lib/api';
import { createElectronTransport } from './lib/electronTransport';
import { createHostTransport } from './lib/hostTransport';
import type { Transport } from './lib/transport';
import { AppCrashed } from './ui/AppCrashed';
import { ErrorBoundary } from './ui/ErrorBoundary';
import { useAppStore } from './stores/useAppStore';
import './styles.css';

function pickTransport(): Transport {
  const bridge = (window as unknown as Record<string, PreloadBridge | undefined>)[PRELOAD_GLOBAL];
  return bridge ? createElectronTransport(bridge) : createHostTransport(window);
}

const transport = pickTransport();
const actions = createAppActions(createApiClient(transport), useAppStore, transport);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    {/* The last line of defence: a page that says what happened rather than a blank window. */}
    <ErrorBoundary fallback={() => <AppCrashed />}>
      <AppActionsContext.Provider value={actions}>
        <App />
      </AppActionsContext.Provider>
    </ErrorBoundary>
  </StrictMode>,
);
