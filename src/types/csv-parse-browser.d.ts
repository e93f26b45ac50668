// The core type-checks without Node's types (tsconfig.core.json), but csv-parse's own declarations reference them.
// This is the part of csv-parse's browser build (csv-parse/browser/esm/sync) that core uses; tsconfig.core.json
// maps that import here. The full typecheck (tsconfig.json) uses csv-parse's own declarations.
export interface Options {
  bom?: boolean;
  delimiter?: string | string[];
  from_line?: number;
  relax_column_count?: boolean;
  relax_quotes?: boolean;
  skip_empty_lines?: boolean;
  to_line?: number;
  trim?: boolean;
  max_record_size?: number;
  on_record?: (record: string[], info: { invalid_field_length: number }) => string[];
}
export function parse(input: string, options?: Options): unknown;
