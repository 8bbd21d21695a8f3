/**
 * `npm run bench:page` — what a guest's browser loads for a booking page, next to the framework's floor
 * (the minimal /login page) in the same run. A production build (own dist dir) in demo mode with the
 * seed, loaded in the system Chromium (Playwright) with an empty cache: compressed JavaScript bytes
 * (bytes on the wire), request count and Largest Contentful Paint (median of the runs). Prints figures;
 * asserts nothing. Target: the guest page's JavaScript ≤ the floor's + 30 KB.
 *
 * Options (after `npm run bench:page --`): --skip-build, --runs N (default 5), --path /demo/intro (repeatable),
 * --list (each page's script files and sizes, to see what a page loads beyond the floor).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '@/e2e/chromium';
import { buildNext, productionEnv, ROOT, runScript, startNextServer, stats } from '@/lib/testing/bench-server';

const DIST_DIR = '.next-bench-page';
const DATA_DIR = path.join(ROOT, '.data', 'bench-page');

type Load = { scriptBytes: number; totalBytes: number; requests: number; scripts: number; lcpMs: number | null; files: { url: string; bytes: number }[] };

async function measure(baseUrl: string, pathname: string): Promise<Load> {
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', timezoneId: 'America/New_York' });
    const page = await context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __lcp: number | null };
      w.__lcp = null;
      new PerformanceObserver((list) => {
        const entries = list.getEntries();
        const last = entries[entries.length - 1];
        if (last) w.__lcp = last.startTime;
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    });
    const responses: Promise<{ type: string; bytes: number; url: string }>[] = [];
    page.on('requestfinished', (request) => {
      responses.push(request.sizes().then((sizes) => ({ type: request.resourceType(), bytes: sizes.responseBodySize, url: request.url() })));
    });
    await page.goto(`${baseUrl}${pathname}`, { waitUntil: 'networkidle' });
    // LCP is final once the user could interact; a short settle lets the observer report.
    await page.waitForTimeout(300);
    const lcpMs = await page.evaluate(() => (window as unknown as { __lcp: number | null }).__lcp);
    const all = await Promise.all(responses);
    const scripts = all.filter((r) => r.type === 'script');
    return {
      scriptBytes: scripts.reduce((n, r) => n + r.bytes, 0),
      totalBytes: all.reduce((n, r) => n + r.bytes, 0),
      requests: all.length,
      scripts: scripts.length,
      lcpMs,
      files: scripts.map((r) => ({ url: new URL(r.url).pathname, bytes: r.bytes })),
    };
  } finally {
    await browser.close();
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const runs = Number(argv[argv.indexOf('--runs') + 1] ?? 5) || 5;
  const asked = argv.flatMap((arg, i) => (arg === '--path' ? [argv[i + 1]!] : []));
  const paths = asked.length > 0 ? asked : ['/demo/intro'];
  const floorPath = '/login';

  const env = productionEnv(DIST_DIR, DATA_DIR, { AKI_DEMO: '1' });
  if (!argv.includes('--skip-build')) {
    console.log(`building (next build → ${DIST_DIR}) …`);
    console.log(`built in ${(await buildNext(env)).toFixed(1)} s`);
  }
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
  await runScript(path.join('lib', 'db', 'seed.ts'), [], env, 'seed');
  const server = await startNextServer(env);
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const results = new Map<string, Load[]>();
    for (let run = 0; run < runs; run++) {
      // Interleaved, so a noisy moment of the machine hits every page alike.
      for (const pathname of [floorPath, ...paths]) {
        const list = results.get(pathname) ?? [];
        list.push(await measure(base, pathname));
        results.set(pathname, list);
      }
    }
    const floor = results.get(floorPath)![0]!;
    console.log(`bench:page — ${runs} cold loads each, 390×844, system Chromium, compressed bytes on the wire`);
    for (const [pathname, loads] of results) {
      const first = loads[0]!;
      const lcp = stats(loads.flatMap((l) => (l.lcpMs === null ? [] : [l.lcpMs])));
      const delta = pathname === floorPath ? '(floor)' : `floor + ${kb(first.scriptBytes - floor.scriptBytes)} (target ≤ floor + 30 KB)`;
      console.log(
        `${pathname.padEnd(14)} JS ${kb(first.scriptBytes)} in ${first.scripts} files, ${first.requests} requests, ${kb(first.totalBytes)} in all, ` +
          `LCP median ${lcp.n ? `${lcp.median.toFixed(0)} ms` : 'n/a'} — ${delta}`,
      );
      if (argv.includes('--list')) {
        const floorFiles = new Set(floor.files.map((f) => f.url));
        for (const file of first.files) console.log(`    ${floorFiles.has(file.url) ? ' ' : '+'} ${kb(file.bytes).padStart(9)}  ${file.url}`);
      }
    }
  } finally {
    server.stop();
    await new Promise((r) => setTimeout(r, 500));
    fs.rmSync(DATA_DIR, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
