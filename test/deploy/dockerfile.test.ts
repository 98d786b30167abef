// The worker image, checked statically (no Docker engine here): its runtime stage, and that it
// copies every file the worker loads.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { repoRoot } from './compose-file.ts';

interface Stage {
  from: string;
  name: string | undefined;
  lines: string[];
}

/** Splits the Dockerfile into stages; continuation lines are joined, comments dropped. */
function stagesOf(text: string): Stage[] {
  const lines = text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from) stages.push({ from: from[1] ?? '', name: from[2], lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

/** Every repository file reached from the entries by relative imports. */
async function importClosure(...entries: string[]): Promise<string[]> {
  const seen = new Set<string>();
  const queue = [...entries];
  for (let file = queue.pop(); file; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      queue.push(resolve(dirname(file), match[1] ?? ''));
    }
  }
  return [...seen].map((f) => relative(repoRoot, f)).sort();
}

describe('Dockerfile', () => {
  let stages: Stage[] = [];
  let runtime: Stage;
  let args: Record<string, string> = {};

  before(async () => {
    const text = await readFile(join(repoRoot, 'Dockerfile'), 'utf8');
    stages = stagesOf(text);
    runtime = stages.find((s) => s.name === 'runtime') as Stage;
    args = Object.fromEntries([...text.matchAll(/^ARG (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
  });

  it('builds on a current Node LTS on Debian, not Alpine', () => {
    assert.equal(args['NODE_IMAGE'], 'node:24-bookworm-slim');
    assert.equal(runtime.from, '${NODE_IMAGE}');
  });

  it('installs production dependencies only, tsx among them', async () => {
    const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const deps = stages.find((s) => s.name === 'deps');

    assert.ok(deps?.lines.includes('RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force'));
    assert.ok(pkg.dependencies['tsx'], 'tsx must be a runtime dependency: the entrypoint loads it');
  });

  it('runs the worker as uid 1000 with node --import tsx', () => {
    assert.ok(runtime.lines.includes('USER 1000:1000'));
    assert.equal(runtime.lines.at(-1), 'ENTRYPOINT ["node", "--import", "tsx", "worker/main.ts"]');
  });

  it('puts the scone CLI where CASFLOW_SCONE_BIN points, from the stage SCONE_CLI names', () => {
    const env = runtime.lines.find((l) => l.startsWith('ENV '));

    assert.match(env ?? '', / CASFLOW_SCONE_BIN=\/usr\/local\/bin\/scone /);
    assert.ok(runtime.lines.includes('COPY --from=scone-cli --chmod=0755 /out/ /usr/local/bin/'));
    assert.deepEqual(
      stages.filter((s) => s.name?.startsWith('scone-cli')).map((s) => `${s.name} <- ${s.from}`),
      [
        'scone-cli-none <- ${NODE_IMAGE}',
        'scone-cli-image <- ${NODE_IMAGE}',
        'scone-cli-context <- ${NODE_IMAGE}',
        'scone-cli <- scone-cli-${SCONE_CLI}',
      ],
    );
    assert.equal(args['SCONE_CLI'], 'none');
  });

  it('bakes in no secret-looking setting', () => {
    const settings = stages.flatMap((s) => s.lines).filter((l) => /^(ENV|ARG) /.test(l));

    assert.deepEqual(
      settings.filter((l) => /TOKEN|PASSWORD|SECRET|_KEY|KUBECONFIG|CREDENTIAL/i.test(l)),
      [],
    );
  });

  it('keeps local credentials out of the build context', async () => {
    const ignored = (await readFile(join(repoRoot, '.dockerignore'), 'utf8')).split('\n');

    for (const pattern of ['.env', '.env.*', '**/kubeconfig*', '**/.kube', '**/.cas', '.git', 'node_modules']) {
      assert.ok(ignored.includes(pattern), `.dockerignore lacks ${pattern}`);
    }
  });

  it('copies every file the worker imports', async () => {
    const copied = runtime.lines
      .map((l) => /^COPY (\S+) \.\/\S+$/.exec(l)?.[1])
      .filter((dir): dir is string => dir !== undefined);

    // The worker bundles workflows/index.ts by path at start-up, so it is an entry of its own.
    const files = await importClosure(join(repoRoot, 'worker/main.ts'), join(repoRoot, 'workflows/index.ts'));
    const missing = files.filter((f) => !copied.some((dir) => f.startsWith(`${dir}/`)));

    assert.deepEqual(copied, ['src', 'activities', 'workflows', 'worker']);
    assert.ok(files.includes('worker/create-worker.ts') && files.includes('activities/index.ts'));
    assert.deepEqual(missing, []);
  });
});
