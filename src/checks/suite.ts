/**
 * defineSuite(): a suite declares itself once (name, report order, defaults), and every check defined through it is
 * registered by being defined. The registry rejects a duplicate id at definition time, so the catalogue can never
 * hold two checks under one id, and a check cannot exist without being in the catalogue.
 */
import type { Binding } from '../core/types.js';
import { defineCheck } from './registry.js';
import type { CheckDefinition } from './types.js';

/** What a check states in its suite: everything but the suite, and the scope only where it differs from the suite's. */
export type CheckSpec = Omit<CheckDefinition, 'suite' | 'scope'> & Partial<Pick<CheckDefinition, 'scope'>>;

export interface SuiteDefinition {
  /** The suite id, also the first segment of every check id in it. */
  name: string;
  /** A few words: what the suite is about. */
  title: string;
  /** What it covers, one paragraph (the suites table in README is generated from it). */
  description: string;
  /** Position in reports and in the suites table (ascending). */
  order: number;
  /** Default scope of its checks. */
  scope: CheckDefinition['scope'];
  /** Default binding restriction of its checks (binding scope only). */
  bindings?: Binding[];
}

export interface Suite extends Readonly<SuiteDefinition> {
  /** Validate, register and return a check of this suite. */
  check(spec: CheckSpec): CheckDefinition;
}

interface Registered {
  def: CheckDefinition;
  suiteOrder: number;
  seq: number;
}

const checks = new Map<string, Registered>();
const suites = new Map<string, Suite>();

export function defineSuite(def: SuiteDefinition): Suite {
  const existing = suites.get(def.name);
  if (existing) throw new Error(`suite ${def.name} is defined twice (declare it once, in suites/${def.name}/suite.ts)`);
  const suite: Suite = {
    ...def,
    check(spec) {
      const scope = spec.scope ?? def.scope;
      const bindings = spec.bindings ?? (scope === 'binding' ? def.bindings : undefined);
      const checkDef = defineCheck({ ...spec, suite: def.name, scope, ...(bindings ? { bindings } : {}) });
      if (checks.has(checkDef.id)) throw new Error(`duplicate check id ${checkDef.id}`);
      checks.set(checkDef.id, { def: checkDef, suiteOrder: def.order, seq: checks.size });
      return checkDef;
    },
  };
  suites.set(def.name, suite);
  return suite;
}

/** Every registered check, in report order: by suite order, then in the order the checks were defined. */
export function registeredChecks(): CheckDefinition[] {
  return [...checks.values()].sort((a, b) => a.suiteOrder - b.suiteOrder || a.seq - b.seq).map((r) => r.def);
}

/** Every declared suite, in report order. */
export function registeredSuites(): Suite[] {
  return [...suites.values()].sort((a, b) => a.order - b.order);
}
