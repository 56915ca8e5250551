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
export const alertmanagerDir = path.join(monitoringDir, 'alertmanager');
export const alertmanagerConfig = path.join(alertmanagerDir, 'alertmanager.yml');
export const lokiRulesDir = path.join(monitoringDir, 'loki', 'rules');
export const prometheusConfig = path.join(monitoringDir, 'prometheus', 'prometheus.yml');
export const repositoryFile = path.join(repoDir, 'gitops', 'repository', 'repository.yaml');
export const resultsDir = path.join(testsDir, 'target');
