/**
 * The lineage graph's SQL: an edge list with a node table beside it, walked by recursive CTEs
 * that run unchanged on SQLite and PostgreSQL.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** An edge as stored. */
export interface EdgeRow {
  from: string;
  to: string;
  kind: string;
  createdAt: number;
  endedAt: number | null;
}

/** A node as stored: its id, type, and when it was first seen. */
export interface NodeRow {
  id: string;
  type: string;
  createdAt: number;
}

/** A node reached by a walk, with its distance in edges from the start. */
export interface ReachedNode {
  id: string;
  depth: number;
}

/**
 * Record an edge and its two nodes in one transaction. Recording an edge that exists is a no-op,
 * except that an ended one holds again (a deployment serves a version it served before).
 */
export async function insertEdge(db: Kysely<Database>, edge: { from: string; fromType: string; to: string; toType: string; kind: string }, now: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('lineage_nodes')
      .values([
        { node_id: edge.from, node_type: edge.fromType, created_at: now },
        ...(edge.to === edge.from ? [] : [{ node_id: edge.to, node_type: edge.toType, created_at: now }]),
      ])
      .onConflict((oc) => oc.column('node_id').doNothing())
      .execute();
    await tx
      .insertInto('lineage_edges')
      .values({ from_node: edge.from, to_node: edge.to, kind: edge.kind, created_at: now, ended_at: null })
      .onConflict((oc) => oc.columns(['from_node', 'to_node', 'kind']).doUpdateSet({ ended_at: null }))
      .execute();
  });
}

/** Mark an edge as no longer holding; returns whether a holding edge was there. */
export async function endEdge(db: Kysely<Database>, edge: { from: string; to: string; kind: string }, now: number): Promise<boolean> {
  const result = await db
    .updateTable('lineage_edges')
    .set({ ended_at: now })
    .where('from_node', '=', edge.from)
    .where('to_node', '=', edge.to)
    .where('kind', '=', edge.kind)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** How a walk goes: along edges (downstream) or against them (upstream), and whether ended edges count. */
export interface WalkOptions {
  direction: 'upstream' | 'downstream';
  maxDepth: number;
  currentOnly: boolean;
}

function walkCte(start: string, o: WalkOptions) {
  const near = o.direction === 'downstream' ? sql.ref('e.from_node') : sql.ref('e.to_node');
  const far = o.direction === 'downstream' ? sql.ref('e.to_node') : sql.ref('e.from_node');
  const current = o.currentOnly ? sql`and e.ended_at is null` : sql``;
  // UNION (not UNION ALL) drops repeated (node, depth) pairs, and the depth bound ends cycles.
  return sql`with recursive walk(node_id, depth) as (
      select cast(${start} as text), 0
      union
      select ${far}, w.depth + 1 from lineage_edges e join walk w on ${near} = w.node_id
      where w.depth < ${o.maxDepth} ${current}
    )`;
}

/** Every node a walk from `start` reaches (the start included, at depth 0), nearest depth first. */
export async function walkNodes(db: Kysely<Database>, start: string, o: WalkOptions): Promise<ReachedNode[]> {
  const result = await sql<{ node_id: string; depth: number }>`${walkCte(start, o)}
    select node_id, min(depth) as depth from walk group by node_id order by min(depth), node_id`.execute(db);
  return result.rows.map((r) => ({ id: r.node_id, depth: Number(r.depth) }));
}

/** The edges a walk from `start` follows. */
export async function walkEdges(db: Kysely<Database>, start: string, o: WalkOptions): Promise<EdgeRow[]> {
  const near = o.direction === 'downstream' ? sql.ref('e.from_node') : sql.ref('e.to_node');
  const current = o.currentOnly ? sql`and e.ended_at is null` : sql``;
  const result = await sql<{ from_node: string; to_node: string; kind: string; created_at: number; ended_at: number | null }>`${walkCte(start, o)}
    select distinct e.from_node, e.to_node, e.kind, e.created_at, e.ended_at
    from lineage_edges e join walk w on ${near} = w.node_id
    where w.depth < ${o.maxDepth} ${current}
    order by e.from_node, e.to_node, e.kind`.execute(db);
  return result.rows.map((r) => ({ from: r.from_node, to: r.to_node, kind: r.kind, createdAt: Number(r.created_at), endedAt: r.ended_at === null ? null : Number(r.ended_at) }));
}

/** The stored nodes among `ids` (ids never recorded are left out). */
export async function selectNodes(db: Kysely<Database>, ids: readonly string[]): Promise<NodeRow[]> {
  const out: NodeRow[] = [];
  // Chunks keep the statement under both engines' bound-parameter limits.
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('lineage_nodes').selectAll().where('node_id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) out.push({ id: r.node_id, type: r.node_type, createdAt: Number(r.created_at) });
  }
  return out;
}

/** Nodes of one type, newest first, optionally only ids starting with a prefix. */
export async function listNodes(db: Kysely<Database>, type: string | undefined, prefix: string | undefined, limit: number): Promise<NodeRow[]> {
  let query = db.selectFrom('lineage_nodes').selectAll().orderBy('created_at', 'desc').orderBy('node_id').limit(limit);
  if (type !== undefined) query = query.where('node_type', '=', type);
  // substr, not LIKE: LIKE's case rules and escapes differ between the two engines.
  if (prefix) query = query.where(sql<string>`substr(node_id, 1, ${prefix.length})`, '=', prefix);
  const rows = await query.execute();
  return rows.map((r) => ({ id: r.node_id, type: r.node_type, createdAt: Number(r.created_at) }));
}
