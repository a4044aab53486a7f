/**
 * DuckDB's Node API, loaded with require(). The package is CommonJS; importing it from ESM makes
 * Node scan every file of it for named exports first, which costs about 50 ms per process — a
 * tenth of a `cairn drift` run on 100k rows.
 */
import { createRequire } from 'node:module';
import type * as DuckDB from '@duckdb/node-api';

const require = createRequire(import.meta.url);

/** The `@duckdb/node-api` module. */
export const duckdb = require('@duckdb/node-api') as typeof DuckDB;
