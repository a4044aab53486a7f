/** The SQL engines cairn runs on. Dialect-specific SQL stays inside store/. */
export type DialectKind = 'sqlite' | 'postgres';

/** What a store URI names: a SQLite file or a PostgreSQL connection string. */
export type StoreLocation =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly connectionString: string };

/**
 * Parse `sqlite:///relative/path.db`, `sqlite:////absolute/path.db`, `sqlite:///:memory:` or
 * `postgresql://user@host:port/db` (the URI forms MLflow users already write).
 */
export function parseStoreUri(uri: string): StoreLocation {
  if (uri.startsWith('sqlite:///')) {
    const path = uri.slice('sqlite:///'.length);
    if (!path) throw new Error(`--backend-store-uri ${uri}: names no database file`);
    return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?(\+\w+)?:\/\//.test(uri)) {
    // Accept SQLAlchemy's driver suffix (postgresql+psycopg2://) so MLflow URIs paste unchanged.
    return { kind: 'postgres', connectionString: uri.replace(/^postgres(ql)?\+\w+:/, 'postgresql:') };
  }
  throw new Error(`--backend-store-uri ${uri}: must start with sqlite:/// or postgresql://`);
}
