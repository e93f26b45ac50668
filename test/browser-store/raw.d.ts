// Vite's `?raw` import: the file's text.
declare module '*?raw' {
  const text: string;
  // eslint-disable-next-line no-restricted-syntax
  export default text;
}
