/**
 * Builds the web pages into web/dist: bundles the console, dashboard and sign-in scripts with
 * esbuild (sip.js ships ES modules only, so the browser needs a bundle) and copies the HTML and
 * CSS beside them. Idempotent: the output directory is rebuilt from scratch each run.
 *
 *   node --import tsx scripts/build-web.ts
 */
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const out = join(web, 'dist');

const ENTRIES = {
  console: 'src/console/main.ts',
  supervisor: 'src/supervisor/main.ts',
  login: 'src/shared/login-main.ts',
  centre: 'src/centre/main.ts',
  analytics: 'src/analytics/main.ts',
  'analytics-report': 'src/analytics/report-main.ts',
} as const;

const STATIC_FILES = ['index.html', 'console.html', 'supervisor.html', 'centre.html', 'styles.css', 'analytics.html', 'analytics-report.html', 'analytics.css'];

async function main(): Promise<void> {
  const started = Date.now();
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, path]) => [name, join(web, path)])),
    outdir: out,
    bundle: true,
    format: 'esm',
    target: 'chrome120',
    platform: 'browser',
    sourcemap: true,
    minify: false,
    logLevel: 'warning',
    metafile: true,
  });
  await Promise.all(STATIC_FILES.map((f) => copyFile(join(web, f), join(out, f))));
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  const kb = Math.round(bytes / 1024);
  console.log(
    `build-web: ${Object.keys(ENTRIES).length} bundles + ${STATIC_FILES.length} files -> ${relative(root, out)} (${kb} KiB) in ${Date.now() - started} ms`,
  );
}

main().catch((e: unknown) => {
  console.error('build-web failed:', e);
  process.exit(1);
});
