import { lazy, Suspense, type ReactNode } from 'react';
import { Loading } from '../components.js';
import { matchPath } from '../router.js';
import type { Direction } from '../lineage/api.js';
import { DatasetPage } from './DatasetPage.js';
import { DatasetsPage } from './DatasetsPage.js';
import { DiffPage } from './DiffPage.js';
import { VersionPage } from './VersionPage.js';

const DIRECTIONS: readonly Direction[] = ['both', 'upstream', 'downstream'];

// ELK and React Flow are most of the bundle's weight: load them when the lineage page opens.
const LineagePage = lazy(() => import('../lineage/LineagePage.js').then((m) => ({ default: m.LineagePage })));

/** The dataset and lineage pages for a path, or undefined when the path is not one of theirs. */
export function dataPage(pathname: string, search: URLSearchParams): ReactNode | undefined {
  if (pathname === '/datasets') return <DatasetsPage />;
  const diff = matchPath('/datasets/:name/diff', pathname);
  if (diff) return <DiffPage name={diff.name ?? ''} from={search.get('from') ?? ''} to={search.get('to') ?? ''} />;
  const version = matchPath('/datasets/:name/versions/:ref', pathname);
  if (version) return <VersionPage name={version.name ?? ''} reference={version.ref ?? ''} />;
  const dataset = matchPath('/datasets/:name', pathname);
  if (dataset) return <DatasetPage name={dataset.name ?? ''} />;
  if (pathname === '/lineage') {
    const asked = search.get('direction') as Direction | null;
    const depth = Number(search.get('depth') ?? 5);
    return (
      <Suspense fallback={<Loading />}>
        <LineagePage
          key={search.get('node') ?? ''}
          node={search.get('node') ?? undefined}
          direction={asked && DIRECTIONS.includes(asked) ? asked : 'both'}
          depth={Number.isInteger(depth) && depth >= 0 && depth <= 50 ? depth : 5}
        />
      </Suspense>
    );
  }
  return undefined;
}
