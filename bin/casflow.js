#!/usr/bin/env node
// casflow CLI. Registers tsx so the TypeScript sources run as they are, then hands over to main.ts.
// Installed (or symlinked) under a name starting with "kubectl-provision" it behaves like the plugin.
import { basename } from 'node:path';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const program = basename(process.argv[1] ?? '').startsWith('kubectl-provision') ? 'kubectl-provision' : 'casflow';
await main(process.argv.slice(2), program);
