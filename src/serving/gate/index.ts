/** The CI/CD gate: compare a candidate with the champion on holdout data, and promote on a pass. */
export { formatGateReport, runGate, type GateOptions, type GateReport, type GateRule } from './gate.js';
export { accuracy, f1, GATE_METRICS, higherIsBetter, mae, rmse, rocAuc, type GateMetric } from './metrics.js';
export { evaluate, type Evaluation, type Holdout } from './evaluate.js';
export { readHoldout } from './holdout.js';
export { githubWorkflow, type WorkflowOptions } from './workflow.js';
