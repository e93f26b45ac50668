/** The page's entry: sentences, the app, and the service worker that keeps it working offline. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { initialLang, setupI18n } from './i18n.ts';
import { App } from './ui/App.tsx';
import './styles.css';

const i18n = setupI18n(initialLang());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <App />
    </I18nextProvider>
  </StrictMode>,
);

// The service worker caches every file of the app (vite-plugin-pwa, generateSW): installable, and offline.
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  window.addEventListener('load', () => {
    void navigator.serviceWorker.register('./sw.js', { scope: './' }).catch(() => undefined);
  });
}
