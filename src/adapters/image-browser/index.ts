export {
  browserImageReader,
  type BrowserImageReader,
  type BrowserImageReaderOptions,
  type OcrAssets,
} from './reader.ts';
