import { type AlertDraft, loadScopes, raiseAlerts } from './alerts.ts';
import type { MonitoringDeps } from './context.ts';
import {
  type CardinalResult,
  CardinalScan,
  compileReleases,
  defaultCardinalSettings,
  INDICATOR_CODES,
  type IndicatorCode,
  iterateCompiledProcesses,
  iterateSnapshots,
  type PerIndicatorSettings,
} from './deps.ts';
import { enabledVersion, versionsInForce } from './rule-versions.ts';
import { citationOf } from './rules.ts';
import * as store from './store.ts';

/**
 * 全平台 Cardinal 指标: the OCP Cardinal set (risk/) over the platform's own OCDS compiled releases (one per
 * lot, from open data), with the thresholds of the rule versions in force, each flag turned into an alert:
 * a process flag on its lot, an organisation flag (采购人/代理机构/投标人) on that organisation, routed by the
 * latest lot it took part in.
 */
interface LotRef {
  id: string;
  code: string;
  label: string;
  regionCode: string;
  catalogItemCode: string;
  law: string;
}

const GROUP_NAMES_ZH = {
  Buyer: '采购人（招标人）',
  ProcuringEntity: '采购代理机构',
  Tenderer: '投标人',
} as const;
type OrgGroup = keyof typeof GROUP_NAMES_ZH;

interface OrgSeen {
  name: string;
  ocids: string[];
  lastLot: LotRef;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface CardinalRunResult {
  processes: number;
  raised: number;
  result: CardinalResult;
}

export async function runCardinalAlerts(deps: MonitoringDeps): Promise<CardinalRunResult> {
  const db = deps.db;
  const versions = await versionsInForce(db, deps.clock.now());
  const enabled = INDICATOR_CODES.filter((code) => enabledVersion(versions, code));
  if (enabled.length === 0) return { processes: 0, raised: 0, result: {} };
  const settings = defaultCardinalSettings(enabled);
  const perIndicator: Record<string, unknown> = {};
  for (const code of enabled) perIndicator[code] = versions.get(code)?.thresholds ?? {};
  settings.perIndicator = perIndicator as PerIndicatorSettings;
  settings.currency = 'CNY';

  const lots = new Map<string, LotRef>();
  for await (const s of iterateSnapshots(db)) {
    lots.set(s.ocid, {
      id: s.lot.id,
      code: s.lot.code,
      label: `${s.lot.code} ${s.lot.projectName} ${s.lot.name}`,
      regionCode: s.lot.regionCode,
      catalogItemCode: s.lot.catalogItemCode,
      law: s.lot.law,
    });
  }

  const scan = new CardinalScan(settings);
  const orgs: Record<OrgGroup, Map<string, OrgSeen>> = {
    Buyer: new Map(),
    ProcuringEntity: new Map(),
    Tenderer: new Map(),
  };
  let processes = 0;
  for await (const p of iterateCompiledProcesses(db)) {
    const compiled = compileReleases(p.releases) as unknown as Json;
    scan.add(compiled);
    processes++;
    const lot = lots.get(p.ocid);
    if (!lot) continue;
    const names = new Map<string, string>();
    for (const party of arr(compiled.parties)) {
      const o = obj(party);
      if (typeof o?.id === 'string') names.set(o.id, String(o.name ?? o.id));
    }
    const see = (group: OrgGroup, id: unknown) => {
      if (typeof id !== 'string') return;
      const seen = orgs[group].get(id) ?? { name: names.get(id) ?? id, ocids: [], lastLot: lot };
      if (!seen.ocids.includes(p.ocid)) seen.ocids.push(p.ocid);
      seen.lastLot = lot;
      orgs[group].set(id, seen);
    };
    see('Buyer', obj(compiled.buyer)?.id);
    see('ProcuringEntity', obj(obj(compiled.tender)?.procuringEntity)?.id);
    for (const bid of arr(obj(compiled.bids)?.details)) {
      for (const t of arr(obj(bid)?.tenderers)) see('Tenderer', obj(t)?.id);
    }
  }
  const result = scan.result();

  const drafts: AlertDraft[] = [];
  const meta = (code: IndicatorCode) => result.Meta?.[code] ?? null;
  for (const [ocid, scores] of Object.entries(result.OCID ?? {})) {
    const lot = lots.get(ocid);
    if (!lot) continue;
    for (const [code, value] of Object.entries(scores) as [IndicatorCode, number][]) {
      const on = enabledVersion(versions, code);
      if (!on) continue;
      drafts.push({
        rule: on.rule,
        version: on.version,
        citation: citationOf(on.rule, lot.law),
        subjectType: 'lot',
        subjectId: lot.id,
        subjectLabel: lot.label,
        evidenceKey: `cardinal:${code}`,
        summary: `Cardinal ${code}「${on.rule.titleZh}」在本项目取值 ${value}`,
        evidence: {
          indicator: code,
          group: 'OCID',
          ocid,
          value,
          meta: meta(code),
          thresholds: on.version.thresholds,
        },
        lotId: lot.id,
        lotCode: lot.code,
        regionCode: lot.regionCode,
        catalogItemCode: lot.catalogItemCode,
      });
    }
  }
  for (const group of Object.keys(GROUP_NAMES_ZH) as OrgGroup[]) {
    for (const [id, scores] of Object.entries(result[group] ?? {})) {
      const seen = orgs[group].get(id);
      if (!seen) continue;
      for (const [code, value] of Object.entries(scores) as [IndicatorCode, number][]) {
        const on = enabledVersion(versions, code);
        if (!on) continue;
        drafts.push({
          rule: on.rule,
          version: on.version,
          citation: citationOf(on.rule, seen.lastLot.law),
          subjectType: 'organization',
          subjectId: id,
          subjectLabel: `${GROUP_NAMES_ZH[group]} ${seen.name}`,
          evidenceKey: `cardinal:${group}:${code}`,
          summary: `Cardinal ${code}「${on.rule.titleZh}」对${GROUP_NAMES_ZH[group]} ${seen.name} 取值 ${value}`,
          evidence: {
            indicator: code,
            group,
            partyId: id,
            value,
            meta: meta(code),
            thresholds: on.version.thresholds,
            ocids: seen.ocids.slice(0, 100),
            processes: seen.ocids.length,
          },
          lotId: seen.lastLot.id,
          lotCode: seen.lastLot.code,
          regionCode: seen.lastLot.regionCode,
          catalogItemCode: seen.lastLot.catalogItemCode,
        });
      }
    }
  }
  const scopes = await loadScopes(db);
  let raised = 0;
  for (let i = 0; i < drafts.length; i += 200) {
    raised += await db.transaction().execute(async (tx) => {
      await store.lockCursor(tx);
      return (await raiseAlerts(tx, deps.clock.now(), drafts.slice(i, i + 200), 'cardinal', scopes)).length;
    });
  }
  return { processes, raised, result };
}
