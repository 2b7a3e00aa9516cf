#!/usr/bin/env node
// The `ggzy` command. TypeScript sources run through tsx's loader, so there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
