// Where the web build put the OCR files (vite.config.ts `mamori:ocr-assets`), relative to the app's root.
declare module 'mamori:ocr-assets' {
  export const OCR_DIR: string;
  export const OCR_CORE: { simd: string; plain: string };
}
