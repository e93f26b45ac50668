// The built knowledge parts, as the browser bundles import them (scripts/browser-bundles.mjs resolves these names
// to dist/knowledge/<part>.json; Node programs read the same files with src/adapters/knowledge/load.ts).
/* eslint-disable no-restricted-syntax -- a JSON module has exactly one, default, export */
declare module 'mamori:knowledge/check' {
  const part: import('#core/knowledge/compile.ts').BuiltCheck;
  export default part;
}
declare module 'mamori:knowledge/ledger' {
  const part: import('#core/knowledge/compile.ts').BuiltLedger;
  export default part;
}
declare module 'mamori:knowledge/plan' {
  const part: import('#core/knowledge/compile.ts').BuiltPlan;
  export default part;
}
declare module 'mamori:knowledge/messages.ja' {
  const part: import('#core/knowledge/compile.ts').BuiltMessages;
  export default part;
}
declare module 'mamori:knowledge/messages.en' {
  const part: import('#core/knowledge/compile.ts').BuiltMessages;
  export default part;
}
