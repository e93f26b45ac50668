export {
  forgetBrowserStore,
  openBrowserStore,
  type BrowserBackend,
  type BrowserStore,
  type BrowserStoreOptions,
} from './browser-store.ts';
export {
  BROWSER_STORE_ERROR_CODES,
  BrowserStoreError,
  isBrowserStoreError,
  type BrowserStoreErrorCode,
} from './errors.ts';
