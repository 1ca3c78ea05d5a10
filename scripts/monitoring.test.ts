import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { catalogMetricNames, exportedSeriesNames, metricNamesIn } from '@vpn/metrics';

// The monitoring set-up in ops/ (Prometheus + Grafana of the compose `monitoring` profile) is
// checked against the metrics the code exports: a renamed metric fails here, not on a dashboard
// that quietly shows nothing.
const ops = join(import.meta.dirname, '..', 'ops');
/** Prometheus's own series, always there beside what processes export. */
const PROMETHEUS_OWN = ['up'];

interface Panel {
  title?: string;
  type?: string;
  datasource?: { uid?: string };
  targets?: { expr?: string }[];
}
interface Rule {
  alert?: string;
  expr?: unknown;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const dashboardFiles = readdirSync(join(ops, 'grafana', 'dashboards')).filter((f) => f.endsWith('.json'));
const dashboards = dashboardFiles.map((file) => ({
  file,
  json: JSON.parse(readFileSync(join(ops, 'grafana', 'dashboards', file), 'utf8')) as { uid?: string; title?: string; panels?: Panel[] },
}));
const rulesText = readFileSync(join(ops, 'prometheus', 'alerts.yml'), 'utf8');
const rules = (parse(rulesText) as { groups: { name: string; rules: Rule[] }[] }).groups.flatMap((g) => g.rules);

const unknownIn = (exprs: string[], known: Set<string>) => exprs.flatMap(metricNamesIn).filter((n) => !known.has(n));

describe('Grafana dashboards (ops/grafana/dashboards)', () => {
  it('are the five of the issue, each valid JSON with a unique uid and panels that query Prometheus', () => {
    expect(dashboardFiles.sort()).toEqual(['bots.json', 'overview.json', 'panels.json', 'payments.json', 'queues.json']);
    expect(new Set(dashboards.map((d) => d.json.uid)).size).toBe(dashboards.length);
    for (const { file, json } of dashboards) {
      expect(json.title, file).toBeTruthy();
      expect(json.panels?.length, file).toBeGreaterThan(0);
      for (const panel of json.panels ?? []) {
        expect(panel.datasource?.uid, `${file}: ${panel.title}`).toBe('prometheus');
        expect(panel.targets?.length, `${file}: ${panel.title}`).toBeGreaterThan(0);
        for (const t of panel.targets ?? []) expect(t.expr, `${file}: ${panel.title}`).toBeTruthy();
      }
    }
  });

  it('query only metric names the processes export', async () => {
    const known = new Set([...(await exportedSeriesNames()), ...PROMETHEUS_OWN]);
    for (const { file, json } of dashboards) {
      const exprs = (json.panels ?? []).flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''));
      expect(unknownIn(exprs, known), file).toEqual([]);
    }
  });

  it('show every metric of the catalog somewhere', async () => {
    const shown = new Set(
      dashboards.flatMap(({ json }) =>
        (json.panels ?? []).flatMap((p) =>
          (p.targets ?? []).flatMap((t) => metricNamesIn(t.expr ?? '').map((n) => n.replace(/_(bucket|sum|count)$/, ''))),
        ),
      ),
    );
    expect((await catalogMetricNames()).filter((n) => !shown.has(n))).toEqual([]);
  });
});

describe('Prometheus alert rules (ops/prometheus/alerts.yml)', () => {
  it('cover what costs money or access, each with an expression, a severity and a summary', () => {
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'SettlementFailing',
        'ProvisioningStuck',
        'WebhooksRefusedInBulk',
        'PanelDown',
        'BotNotTakingUpdates',
        'QueueGrowing',
        'BackupMissing',
      ]),
    );
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    for (const rule of rules) {
      expect(typeof rule.expr, rule.alert).toBe('string');
      expect(['critical', 'warning'], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      if (rule.for !== undefined) expect(rule.for, rule.alert).toMatch(/^\d+[smh]$/);
    }
  });

  it('read only metric names the processes export', async () => {
    const known = new Set([...(await exportedSeriesNames()), ...PROMETHEUS_OWN]);
    expect(
      unknownIn(
        rules.map((r) => String(r.expr)),
        known,
      ),
    ).toEqual([]);
  });

  it('pass `promtool check rules` where promtool is installed', () => {
    let promtool = true;
    try {
      execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    } catch {
      promtool = false;
    }
    // Without promtool the shape checks above stand in (this machine has none; CI images may).
    if (promtool) execFileSync('promtool', ['check', 'rules', join(ops, 'prometheus', 'alerts.yml')], { stdio: 'pipe' });
  });
});

describe('Prometheus scrape configuration (ops/prometheus/prometheus.yml)', () => {
  const config = parse(readFileSync(join(ops, 'prometheus', 'prometheus.yml'), 'utf8')) as {
    rule_files: string[];
    scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
  };
  it('loads the alert rules and scrapes each process on its ops port', () => {
    expect(config.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    const compose = parse(readFileSync(join(import.meta.dirname, '..', 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { image?: string; environment?: Record<string, string> }>;
    };
    const processes = Object.entries(compose.services).filter(([name, s]) => s.image?.startsWith('tg-vpn') && name !== 'migrate');
    const targets = Object.fromEntries(config.scrape_configs.map((j) => [j.job_name, j.static_configs.flatMap((c) => c.targets)]));
    for (const [name, service] of processes) expect(targets[name], name).toEqual([`${name}:${service.environment?.HEALTH_PORT}`]);
    expect(Object.keys(targets).sort()).toEqual(processes.map(([n]) => n).sort());
  });
});
