// punycode.js ships no types; mamori uses only its IDN label decoder.
declare module 'punycode.js' {
  const punycode: {
    toUnicode(domain: string): string;
    toASCII(domain: string): string;
  };
  // The package exports one object by default (CommonJS and ESM builds alike).
  // eslint-disable-next-line no-restricted-syntax
  export default punycode;
}
