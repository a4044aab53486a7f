import { getJson } from './client.js';
import type { ModelVersion, RegisteredModel } from './types.js';

/** Lists registered models, following page tokens. */
export async function searchRegisteredModels(): Promise<RegisteredModel[]> {
  const models: RegisteredModel[] = [];
  let pageToken: string | undefined;
  do {
    const page = await getJson<{ registered_models?: RegisteredModel[]; next_page_token?: string }>(
      'registered-models/search',
      { max_results: 1000, page_token: pageToken },
    );
    models.push(...(page.registered_models ?? []));
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
  return models;
}

/** Fetches one registered model by name. */
export async function getRegisteredModel(name: string): Promise<RegisteredModel> {
  const body = await getJson<{ registered_model: RegisteredModel }>('registered-models/get', { name });
  return body.registered_model;
}

/** Quotes a value for MLflow's search grammar, which has no escapes: use the quote the value lacks. */
function quoteSearchString(value: string): string {
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}

/** Lists every version of a registered model, newest first. */
export async function searchModelVersions(name: string): Promise<ModelVersion[]> {
  const body = await getJson<{ model_versions?: ModelVersion[] }>('model-versions/search', {
    filter: `name=${quoteSearchString(name)}`,
    max_results: 10000,
  });
  const versions = body.model_versions ?? [];
  return versions.sort((a, b) => Number(b.version) - Number(a.version));
}
