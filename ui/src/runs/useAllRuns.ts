import { useEffect, useMemo } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { searchRunsPage } from '../api/tracking.js';
import type { RunsPage } from '../api/tracking.js';
import { toRunRow } from './runRows.js';
import type { RunRow } from './runRows.js';

// Rows are derived once per fetched page, so a new page does not re-flatten the earlier ones.
const rowsByPage = new WeakMap<RunsPage, RunRow[]>();

function rowsOf(page: RunsPage): RunRow[] {
  let rows = rowsByPage.get(page);
  if (!rows) {
    rows = page.runs.map(toRunRow);
    rowsByPage.set(page, rows);
  }
  return rows;
}

/** Progress and result of loading every run of an experiment that matches a filter. */
export interface AllRuns {
  rows: RunRow[];
  pagesLoaded: number;
  done: boolean;
  error: unknown;
  isPending: boolean;
}

/** Loads all pages of runs/search (1000 runs each) one after another, exposing rows as they arrive. */
export function useAllRuns(experimentId: string, filter: string): AllRuns {
  const query = useInfiniteQuery({
    queryKey: ['runs', experimentId, filter],
    queryFn: ({ pageParam, signal }) => searchRunsPage(experimentId, filter, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextPageToken,
  });
  const { hasNextPage, isFetchingNextPage, isError, fetchNextPage } = query;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && !isError) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, isError, fetchNextPage]);

  const pages = query.data?.pages;
  const rows = useMemo(() => (pages ?? []).flatMap(rowsOf), [pages]);
  return {
    rows,
    pagesLoaded: pages?.length ?? 0,
    done: query.isSuccess && !hasNextPage,
    error: query.error,
    isPending: query.isPending,
  };
}
