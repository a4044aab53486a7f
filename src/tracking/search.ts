import type { Db } from '../store/db.js';
import {
  searchExperimentIds,
  searchLoggedModelIds,
  searchRunIds,
  type SearchExperimentsQuery,
  type SearchLoggedModelsQuery,
  type SearchRunsQuery,
} from '../store/search/index.js';
import type { ExperimentRecord, Experiments } from './experiments.js';
import type { LoggedModelRecord, LoggedModels } from './logged-models.js';
import type { RunRecord, Runs } from './runs.js';

export type { SearchExperimentsQuery, SearchLoggedModelsQuery, SearchRunsQuery };

/** A page of search results and the token for the next page (absent on the last page). */
export interface Page<T> {
  items: T[];
  nextPageToken?: string | undefined;
}

/** search_experiments, search_runs and search_logged_models with MLflow's grammars. */
export class TrackingSearch {
  constructor(
    private readonly db: Db,
    private readonly experiments: Experiments,
    private readonly runs: Runs,
    private readonly loggedModels: LoggedModels,
  ) {}

  async experimentsPage(query: SearchExperimentsQuery): Promise<Page<ExperimentRecord>> {
    const page = await searchExperimentIds(this.db, query);
    return { items: await this.experiments.getMany(page.experimentIds.map(Number)), nextPageToken: page.nextPageToken };
  }

  async runsPage(query: SearchRunsQuery): Promise<Page<RunRecord>> {
    const page = await searchRunIds(this.db, query);
    return { items: await this.runs.getMany(page.runIds), nextPageToken: page.nextPageToken };
  }

  async loggedModelsPage(query: SearchLoggedModelsQuery): Promise<Page<LoggedModelRecord>> {
    const page = await searchLoggedModelIds(this.db, query);
    return { items: await this.loggedModels.getMany(page.modelIds), nextPageToken: page.nextPageToken };
  }
}
