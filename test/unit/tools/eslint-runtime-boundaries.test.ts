import { ESLint, RuleTester } from 'eslint';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { runtimeBoundaries } from '../../../tools/eslint-runtime-boundaries.js';
import { REPO } from '../../helpers/processes';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' } });
const at = (file: string, code: string) => ({ code, filename: join(REPO, file), options: [{ root: REPO }] });
const bad = (file: string, code: string) => ({ ...at(file, code), errors: [{ messageId: 'boundary' }] });

tester.run('runtime-boundaries', runtimeBoundaries, {
  valid: [
    at('shared/a.ts', "import { z } from 'zod';"),
    at('shared/a.ts', "import { parsePhoneNumberFromString } from 'libphonenumber-js/max';"),
    at('shared/a.ts', "import { x } from './b';"),
    at('electron/core/a.ts', "import fs from 'node:fs'; import { x } from '../../shared/b'; import Database from 'better-sqlite3';"),
    at('electron/shell/main.ts', "import { app } from 'electron';"),
    at('server/a.ts', "import Fastify from 'fastify'; import { x } from '../shared/b';"),
    at('renderer/a.tsx', "import { create } from 'zustand'; import { x } from '../shared/contract';"),
    at('cli/a.ts', "import { x } from '../server/main'; import { y } from '../electron/core/agent-core';"),
    at('test/a.ts', "import { app } from 'electron'; import fs from 'node:fs';"),
  ],
  invalid: [
    bad('shared/a.ts', "import fs from 'node:fs';"),
    bad('shared/a.ts', "import { readFile } from 'fs';"),
    bad('shared/a.ts', "import { ipcRenderer } from 'electron';"),
    bad('shared/a.ts', "import Database from 'better-sqlite3';"),
    bad('shared/a.ts', "export * from '../server/store/db';"),
    bad('shared/a.ts', "const m = await import('node:path');"),
    bad('shared/a.ts', "import { x } from '../test/helpers/processes';"),
    bad('electron/core/a.ts', "import { app } from 'electron';"),
    bad('electron/core/a.ts', "const { app } = require('electron');"),
    bad('electron/core/a.ts', "import { x } from '../../renderer/app';"),
    bad('electron/core/a.ts', "import { x } from '../../server/main';"),
    bad('renderer/a.tsx', "import fs from 'node:fs';"),
    bad('renderer/a.tsx', "import { ipcRenderer } from 'electron';"),
    bad('renderer/a.tsx', "import { x } from '../electron/core/agent-core';"),
    bad('renderer/a.tsx', "import Database from 'better-sqlite3';"),
    bad('server/a.ts', "import { x } from '../electron/core/agent-core';"),
    bad('server/a.ts', "import { BrowserWindow } from 'electron';"),
  ],
});

describe('the project lint config', () => {
  // The rule is only worth something if the real config applies it: lint code as if it were in place.
  const eslint = new ESLint({ cwd: REPO });
  const lint = async (file: string, code: string) => (await eslint.lintText(code, { filePath: join(REPO, file) }))[0]?.messages ?? [];

  it('rejects Node in shared/ and electron in the agent core', async () => {
    const shared = await lint('shared/leak.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n");
    expect(shared.map((m) => m.ruleId)).toContain('minwon/runtime-boundaries');
    expect(shared[0]?.message).toMatch(/without Node/);
    const core = await lint('electron/core/leak.ts', "import { app } from 'electron';\nexport const x = app;\n");
    expect(core.map((m) => m.ruleId)).toContain('minwon/runtime-boundaries');
  });

  it('passes the same import where the runtime allows it', async () => {
    const ok = await lint('electron/core/ok.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n");
    expect(ok).toEqual([]);
  });
});
