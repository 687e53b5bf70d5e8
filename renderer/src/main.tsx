// First: the sections' stylesheets (imported by the app) override these shared elements.
import './components/components.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { hasDesktop } from './bridge/desktop';
import { listenForOpenedModelFiles } from './features/workspace/opened-model-files';
import { LocaleProvider, useT } from './i18n/i18n';
import './styles.css';

function MissingBridge() {
  const t = useT();
  return (
    <main className="missing-bridge" role="alert">
      <h1>{t.app.title}</h1>
      <p>{t.app.bridgeMissing}</p>
    </main>
  );
}

listenForOpenedModelFiles();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <LocaleProvider>{hasDesktop() ? <App /> : <MissingBridge />}</LocaleProvider>
  </StrictMode>,
);
