// The layer check (runs with the unit tests, so CI fails on a forbidden import). Imports point one way:
//
//   app/ ─► components/ ─► product: lib/bookings, lib/booking-pages (+ lib/meetings, lib/organisations, lib/webhooks)
//                            ─► integrations: lib/zoom, lib/calendar (incl. calendar/google), lib/mail, lib/oauth
//                               ─► base: lib/availability (pure), lib/db, lib/env, lib/errors, lib/i18n
//
// Each rule below reads the real import graph (lib/testing/import-graph.ts). A violation that exists
// today and is being fixed goes in KNOWN_VIOLATIONS; an entry that no longer occurs fails the check
// too, so that list can only shrink.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGraph, type ImportEdge, isNodeBuiltin, type ModuleInfo, readSources, type SourceFile } from './testing/import-graph';

type RuleId =
  | 'integrations-never-import-product'
  | 'base-imports-no-higher-layer'
  | 'availability-has-no-io'
  | 'lib-never-imports-app-or-components'
  | 'components-never-import-app'
  | 'emulators-only-in-demo-routes-tests-and-clis'
  | 'emulators-loaded-after-the-demo-check'
  | 'client-never-reaches-server-modules'
  | 'no-mutual-imports-between-lib-domains';

type Violation = { rule: RuleId; file: string; target: string; line: number; via?: string[] };

// `file → target` (repo paths, as resolved) per rule; each group says how it goes away.
const KNOWN_VIOLATIONS: Record<RuleId, string[]> = {
  'integrations-never-import-product': [
  ],
  'base-imports-no-higher-layer': [
    // Type-only: the jsonb columns are typed with the page schema's document types (no runtime edge).
    'lib/db/schema/booking-pages.ts → lib/booking-pages/schema.ts',
    'lib/db/schema/bookings.ts → lib/booking-pages/schema.ts',
    // next-intl's request config is an app entry point that reads the session; it sits in lib/i18n today.
    'lib/i18n/request.ts → lib/auth/session.ts',
  ],
  'availability-has-no-io': [],
  'lib-never-imports-app-or-components': [],
  'components-never-import-app': [],
  'emulators-only-in-demo-routes-tests-and-clis': [],
  'emulators-loaded-after-the-demo-check': [
  ],
  'client-never-reaches-server-modules': [],
  'no-mutual-imports-between-lib-domains': [
    // The same upward edges the two direction rules above list.
    'lib/i18n/request.ts → lib/auth/session.ts',
  ],
};

// ── Where a file sits ────────────────────────────────────────────────────────────────────────────

const PRODUCT = ['lib/bookings/', 'lib/booking-pages/', 'lib/meetings/', 'lib/organisations/', 'lib/webhooks/'];
const INTEGRATIONS = ['lib/zoom/', 'lib/calendar/', 'lib/mail/', 'lib/oauth/'];
const BASE = ['lib/availability/', 'lib/db/', 'lib/env.ts', 'lib/errors.ts', 'lib/i18n/'];
// Everything a base module must not reach: the layers above it and the app-level lib modules.
const ABOVE_BASE = [...PRODUCT, ...INTEGRATIONS, 'lib/auth/', 'lib/hosts/', 'lib/api-tokens/', 'lib/emulators/', 'app/', 'components/'];

const under = (file: string, prefixes: string[]) => prefixes.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p));
const isTest = (file: string) => /\.test\.tsx?$/.test(file);
const isTestingHelper = (file: string) => file.startsWith('lib/testing/') || /(^|\/)testing\.tsx?$/.test(file);
// Command-line entry points (npm scripts): they wire everything together like an app does.
const isCli = (file: string) => /(^|\/|-)main\.ts$/.test(file) || /\/(cli|bench|seed)\.ts$/.test(file);
// Tests, testing helpers and CLIs are composition roots; the direction rules are about product code.
const isProductCode = (file: string) => !isTest(file) && !isTestingHelper(file) && !isCli(file);
/** Higher imports lower. Unlisted lib modules (crypto, http, log…) sit just above the base. */
const rankOf = (file: string) =>
  under(file, ['app/']) ? 5
  : under(file, ['components/']) ? 4
  : under(file, [...PRODUCT, 'lib/auth/', 'lib/hosts/', 'lib/api-tokens/']) ? 3
  : under(file, INTEGRATIONS) ? 2
  : under(file, BASE) ? 0
  : 1;
/** `lib/bookings/effects/queue.ts` → `lib/bookings`; `lib/env.ts` → `lib/env`; `app/x` → `app`. */
const domainOf = (file: string) => {
  const parts = file.split('/');
  if (parts[0] !== 'lib') return parts[0]!;
  return `lib/${parts[1]!.replace(/\.tsx?$/, '')}`;
};

// ── The rules ────────────────────────────────────────────────────────────────────────────────────

function directRule(
  graph: Map<string, ModuleInfo>,
  rule: RuleId,
  applies: (file: string) => boolean,
  forbidden: (edge: ImportEdge) => boolean,
): Violation[] {
  const out: Violation[] = [];
  for (const mod of graph.values()) {
    if (!applies(mod.path)) continue;
    for (const edge of mod.imports) {
      if (forbidden(edge)) out.push({ rule, file: mod.path, target: edge.target, line: edge.line });
    }
  }
  return out;
}

/** A client module must not pull server code into the browser bundle, directly or through other modules. */
function clientRule(graph: Map<string, ModuleInfo>): Violation[] {
  const isServerModule = (target: string) =>
    isNodeBuiltin(target) ||
    target.startsWith('lib/db/') ||
    target === 'lib/env.ts' ||
    target.startsWith('lib/emulators/') ||
    target === 'next/headers' ||
    target === 'server-only' ||
    graph.get(target)?.serverOnly === true;
  const out: Violation[] = [];
  for (const mod of graph.values()) {
    if (mod.directive !== 'use client') continue;
    // Breadth-first over value imports; a 'use server' module is a network boundary, not a bundle edge.
    const seen = new Set([mod.path]);
    const queue: { file: string; via: string[] }[] = [{ file: mod.path, via: [] }];
    while (queue.length > 0) {
      const { file, via } = queue.shift()!;
      for (const edge of graph.get(file)?.imports ?? []) {
        if (edge.typeOnly) continue;
        if (isServerModule(edge.target)) {
          out.push({ rule: 'client-never-reaches-server-modules', file: mod.path, target: edge.target, line: 0, via: [...via, file] });
          continue;
        }
        const next = graph.get(edge.target);
        if (!next || seen.has(next.path) || next.directive === 'use server') continue;
        seen.add(next.path);
        queue.push({ file: next.path, via: [...via, file] });
      }
    }
  }
  // One finding per (client file, server module), keeping the shortest chain.
  const unique = new Map<string, Violation>();
  for (const v of out) if (!unique.has(`${v.file} → ${v.target}`)) unique.set(`${v.file} → ${v.target}`, v);
  return [...unique.values()];
}

/** Two lib/<domain> folders that import each other are one domain in disguise (or a layer inverted). */
function mutualRule(graph: Map<string, ModuleInfo>): Violation[] {
  const edges: ImportEdge[] = [];
  const pairs = new Set<string>();
  for (const mod of graph.values()) {
    if (!mod.path.startsWith('lib/') || !isProductCode(mod.path)) continue;
    for (const edge of mod.imports) {
      // Type-only edges are left to the direction rules.
      if (edge.typeOnly || !edge.local || !graph.has(edge.target) || !edge.target.startsWith('lib/')) continue;
      if (domainOf(mod.path) === domainOf(edge.target)) continue;
      edges.push(edge);
      pairs.add(`${domainOf(mod.path)} ${domainOf(edge.target)}`);
    }
  }
  // Of a mutual pair across layers only the upward edge is wrong; within one layer both are.
  return edges
    .filter((e) => pairs.has(`${domainOf(e.target)} ${domainOf(e.from)}`) && rankOf(e.from) <= rankOf(e.target))
    .map((e) => ({ rule: 'no-mutual-imports-between-lib-domains' as const, file: e.from, target: e.target, line: e.line }));
}

const RULES: { id: RuleId; explain: string; check: (graph: Map<string, ModuleInfo>) => Violation[] }[] = [
  {
    id: 'integrations-never-import-product',
    explain:
      'lib/zoom, lib/calendar, lib/mail and lib/oauth answer in their own terms; they never import lib/bookings, lib/booking-pages, app/ or components/. Move booking → message conversions to lib/bookings/notifications.ts and pass plain data in.',
    check: (g) =>
      directRule(
        g,
        'integrations-never-import-product',
        (f) => under(f, INTEGRATIONS) && !isTest(f) && !isTestingHelper(f),
        (e) => e.local && under(e.target, [...PRODUCT, 'app/', 'components/']),
      ),
  },
  {
    id: 'base-imports-no-higher-layer',
    explain:
      'lib/availability, lib/db, lib/env, lib/errors and lib/i18n are the bottom layer: they import nothing from the product, the integrations, lib/auth, lib/hosts, lib/api-tokens, lib/emulators, app/ or components/. Move the shared type down instead.',
    check: (g) =>
      directRule(
        g,
        'base-imports-no-higher-layer',
        (f) => under(f, BASE) && isProductCode(f),
        (e) => e.local && under(e.target, ABOVE_BASE),
      ),
  },
  {
    id: 'availability-has-no-io',
    explain: 'lib/availability is the pure slot engine: no lib/db, lib/env or node:* import. Its callers fetch and pass the data in.',
    check: (g) =>
      directRule(
        g,
        'availability-has-no-io',
        (f) => f.startsWith('lib/availability/') && isProductCode(f),
        (e) => (e.local && (e.target.startsWith('lib/db/') || e.target === 'lib/env.ts')) || (!e.local && isNodeBuiltin(e.target)),
      ),
  },
  {
    id: 'lib-never-imports-app-or-components',
    explain: 'lib/ is below app/ and components/: pass what lib needs as arguments instead of importing upwards.',
    check: (g) =>
      directRule(
        g,
        'lib-never-imports-app-or-components',
        (f) => f.startsWith('lib/') && isProductCode(f),
        (e) => e.local && (e.target.startsWith('app/') || e.target.startsWith('components/')),
      ),
  },
  {
    id: 'components-never-import-app',
    explain: 'components/ are used by app/, never the reverse: move the shared piece into components/ or lib/.',
    check: (g) =>
      directRule(
        g,
        'components-never-import-app',
        (f) => f.startsWith('components/') && isProductCode(f),
        (e) => e.local && e.target.startsWith('app/'),
      ),
  },
  {
    id: 'emulators-only-in-demo-routes-tests-and-clis',
    explain:
      'lib/emulators is demo and test tooling: only app/api/emulators/**, tests, testing helpers and CLIs import it (the demo routes with import() after the demo check), never product code.',
    check: (g) =>
      directRule(
        g,
        'emulators-only-in-demo-routes-tests-and-clis',
        (f) => !f.startsWith('lib/emulators/') && !f.startsWith('app/api/emulators/') && isProductCode(f),
        (e) => e.local && e.target.startsWith('lib/emulators/'),
      ),
  },
  {
    id: 'emulators-loaded-after-the-demo-check',
    explain: "app/ loads lib/emulators only with `await import('…')` after the demo check, never with a static import (type imports are fine).",
    check: (g) =>
      directRule(
        g,
        'emulators-loaded-after-the-demo-check',
        (f) => f.startsWith('app/'),
        (e) => e.local && e.target.startsWith('lib/emulators/') && !e.dynamic && !e.typeOnly,
      ),
  },
  {
    id: 'client-never-reaches-server-modules',
    explain:
      "A 'use client' module must not reach lib/db, lib/env, lib/emulators, node:*, next/headers or a module that imports 'server-only' through value imports (a 'use server' module is the allowed boundary; `import type` is erased).",
    check: clientRule,
  },
  {
    id: 'no-mutual-imports-between-lib-domains',
    explain: 'Two lib/<domain> folders import each other: pick the direction from the layer diagram and move the shared piece down.',
    check: mutualRule,
  },
];

function format(v: Violation): string {
  const where = v.line > 0 ? `${v.file}:${v.line}` : v.file;
  const via = v.via && v.via.length > 1 ? ` (via ${v.via.slice(1).join(' → ')})` : '';
  return `${where} imports ${v.target}${via}`;
}

const key = (v: Violation) => `${v.file} → ${v.target}`;

// ── The check on this repository ─────────────────────────────────────────────────────────────────

const ROOT = path.resolve(import.meta.dirname, '..');
const graph = buildGraph(readSources(ROOT, ['app', 'components', 'lib'], ['instrumentation.ts', 'proxy.ts']));

describe('layer check', () => {
  it('reads the import graph', () => {
    // Guards the check itself: a parser that finds nothing would pass every rule.
    expect(graph.size).toBeGreaterThan(100);
    const send = graph.get('app/api/health/route.ts');
    expect(send?.imports.some((e) => e.local && e.target.startsWith('lib/'))).toBe(true);
  });

  for (const rule of RULES) {
    it(rule.id, () => {
      const allowed = new Set(KNOWN_VIOLATIONS[rule.id]);
      const found = rule.check(graph);
      const fresh = found.filter((v) => !allowed.has(key(v)));
      const present = new Set(found.map(key));
      const stale = [...allowed].filter((k) => !present.has(k));
      const problems = [
        ...fresh.map((v) => `  ${format(v)}`),
        ...stale.map((k) => `  ${k} is in KNOWN_VIOLATIONS['${rule.id}'] but no longer occurs: delete the entry (the list only shrinks)`),
      ];
      expect(problems, `Layer rule "${rule.id}": ${rule.explain}\n${problems.join('\n')}\n`).toEqual([]);
    });
  }
});

// ── The rules fire (on a tiny made-up repository) ───────────────────────────────────────────────

describe('layer rules on planted violations', () => {
  const files: SourceFile[] = [
    { path: 'lib/mail/send.ts', text: "import { token } from '@/lib/bookings/manage-token';\nexport const x = token;" },
    { path: 'lib/bookings/manage-token.ts', text: "import type { Mail } from '../mail/send';\nexport const token = 1;" },
    { path: 'lib/bookings/service.ts', text: "import { send } from '../mail/send';" },
    { path: 'lib/calendar/google.ts', text: "import { client } from '@/lib/oauth/client';" },
    { path: 'lib/oauth/client.ts', text: "import { CalendarError } from '@/lib/calendar/google';" },
    { path: 'lib/availability/engine.ts', text: "import fs from 'node:fs';\nimport { env } from '@/lib/env';" },
    { path: 'lib/env.ts', text: "import '@/lib/zoom/client';" },
    { path: 'lib/zoom/client.ts', text: "export const zoom = await import('@/lib/emulators/zoom/emulator');" },
    { path: 'lib/emulators/zoom/emulator.ts', text: 'export {};' },
    { path: 'components/host/card.tsx', text: "'use client';\nimport { helper } from '@/components/host/helper';\nimport { act } from '@/lib/zoom/actions';" },
    { path: 'components/host/helper.ts', text: "import { db } from '@/lib/db/client';\nimport type { Page } from '@/app/page';" },
    { path: 'lib/zoom/actions.ts', text: "'use server';\nimport { db } from '@/lib/db/client';" },
    { path: 'lib/db/client.ts', text: "import 'server-only';" },
    { path: 'app/page.tsx', text: "import { x } from '@/lib/mail/send';" },
    { path: 'app/api/emulators/zoom/route.ts', text: "import { a } from '@/lib/emulators/zoom/emulator';\nconst b = await import('@/lib/emulators/zoom/emulator');" },
    { path: 'lib/log.ts', text: "import type { Page } from '../app/page';" },
  ];
  const planted = buildGraph(files);
  const found = (id: RuleId) => RULES.find((r) => r.id === id)!.check(planted).map(key);

  it('finds each kind of forbidden import', () => {
    expect(found('integrations-never-import-product')).toEqual(['lib/mail/send.ts → lib/bookings/manage-token.ts']);
    expect(found('availability-has-no-io')).toEqual(['lib/availability/engine.ts → node:fs', 'lib/availability/engine.ts → lib/env.ts']);
    expect(found('base-imports-no-higher-layer')).toEqual(['lib/env.ts → lib/zoom/client.ts']);
    expect(found('emulators-only-in-demo-routes-tests-and-clis')).toEqual(['lib/zoom/client.ts → lib/emulators/zoom/emulator.ts']);
    expect(found('emulators-loaded-after-the-demo-check')).toEqual(['app/api/emulators/zoom/route.ts → lib/emulators/zoom/emulator.ts']);
    expect(found('components-never-import-app')).toEqual(['components/host/helper.ts → app/page.tsx']);
    expect(found('lib-never-imports-app-or-components')).toEqual(['lib/log.ts → app/page.tsx']);
    // Through a helper, but not through the 'use server' action.
    expect(found('client-never-reaches-server-modules')).toEqual(['components/host/card.tsx → lib/db/client.ts']);
    expect(found('no-mutual-imports-between-lib-domains').sort()).toEqual([
      'lib/calendar/google.ts → lib/oauth/client.ts',
      'lib/mail/send.ts → lib/bookings/manage-token.ts',
      'lib/oauth/client.ts → lib/calendar/google.ts',
    ]);
  });
});
