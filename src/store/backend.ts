/** What the index needs from a database: parameterised queries and a transaction. */
export interface SqlClient {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface SqlBackend extends SqlClient {
  /** Runs `fn` in one transaction on one connection. */
  transaction<T>(fn: (client: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
