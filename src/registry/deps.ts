/** What the registry needs from tracking: runs and logged models, to resolve version sources. */
export interface RegistryDeps {
  readonly runs: {
    /** A run's info; throws RESOURCE_DOES_NOT_EXIST for an unknown run. */
    info(runId: string): Promise<{ readonly artifactUri: string }>;
  };
  readonly loggedModels: {
    /** A logged model; throws RESOURCE_DOES_NOT_EXIST for an unknown (or deleted) one. */
    get(modelId: string, allowDeleted: boolean): Promise<{ readonly artifactLocation: string; readonly sourceRunId: string | null }>;
  };
}
