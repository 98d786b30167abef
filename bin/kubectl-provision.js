#!/usr/bin/env node
// kubectl plugin entry: `kubectl provision cas NAME ...` runs this with the words after "provision".
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2), 'kubectl-provision');
