// Where the checked files live, relative to this repository.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const testsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const monitoringDir = path.resolve(testsDir, '..');
export const repoDir = path.resolve(monitoringDir, '..');

export const dashboardsDir = path.join(monitoringDir, 'grafana', 'dashboards');
export const datasourcesFile = path.join(monitoringDir, 'grafana', 'provisioning', 'datasources.yaml');
export const rulesDir = path.join(monitoringDir, 'prometheus', 'rules');
export const ruleTestsDir = path.join(testsDir, 'rules');
export const alloyConfig = path.join(monitoringDir, 'alloy', 'config.alloy');
export const contractDir = path.join(repoDir, 'service', 'target', 'contract');
