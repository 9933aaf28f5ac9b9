#!/usr/bin/env node
// The `imlu` command: runs the TypeScript CLI through tsx (as the server does), then exits with its code.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
