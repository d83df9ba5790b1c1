// Every ```ts (and ```js) block of README.md and docs/ (the generated docs/api aside) is type-checked against the
// source and then run, so that the documentation cannot drift from the code. Blocks that are not meant
// to run use another fence (```sh, ```text). A block is one module: it imports what it uses from
// 'ddpm-scheduler', 'ddpm-scheduler/node', fp-ts, ndarray, node: modules or onnxruntime-node (the real
// one, a development dependency: the README and the ONNX Runtime recipe run the demo's trained network).
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { useCrossContextFloat32Array } from '../test-utils/ortRealm.js';

const root = process.cwd();

const markdownFiles = (): string[] => {
  const found = [join(root, 'README.md')];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (relative(root, path) !== join('docs', 'api')) walk(path);
      } else if (name.endsWith('.md')) {
        found.push(path);
      }
    }
  };
  walk(join(root, 'docs'));
  return found;
};

interface Block {
  readonly name: string;
  readonly code: string;
}

const blocks: ReadonlyArray<Block> = markdownFiles().flatMap((file) => {
  const lines = readFileSync(file, 'utf8').split('\n');
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript|js)\s*$/.test(lines[i] as string)) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`${relative(root, file)}:${i + 1}: unclosed code block`);
    found.push({ name: `${relative(root, file)}:${i + 1}`, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return found;
});

// Blocks known to fail, with the reason, reported to their authors. They run as test.failing: when one is
// fixed, its test fails until it is taken off this list, so the list cannot go stale silently.
const KNOWN_FAILING: Readonly<Record<string, string>> = {};

// The package's own names point at the source, as the tests see it.
const MODULES: Readonly<Record<string, string>> = {
  'ddpm-scheduler': 'src/index.ts',
  'ddpm-scheduler/node': 'src/node/index.ts',
  'onnxruntime-node': 'node_modules/onnxruntime-node/dist/index.d.ts',
};

const virtualName = (b: Block, i: number) => join(root, '.docs-check', `block${i}_${b.name.replace(/[^A-Za-z0-9]/g, '_')}.ts`);

const typeErrors = (): string[] => {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts'],
    strict: true,
    noUncheckedIndexedAccess: true,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node'],
    noEmit: true,
    baseUrl: root,
    paths: Object.fromEntries(Object.entries(MODULES).map(([k, v]) => [k, [v]])),
  };
  const sources = new Map(blocks.map((b, i) => [virtualName(b, i), b] as const));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (name, version, onError) => {
    const block = sources.get(name);
    return block === undefined ? getSourceFile(name, version, onError) : ts.createSourceFile(name, block.code, version);
  };
  host.fileExists = (name) => sources.has(name) || fileExists(name);
  host.readFile = (name) => sources.get(name)?.code ?? readFile(name);
  const program = ts.createProgram([...sources.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || (sources.has(d.file.fileName) && !((sources.get(d.file.fileName)?.name ?? '') in KNOWN_FAILING)))
    .map((d) => {
      const where = d.file === undefined ? '' : `${sources.get(d.file.fileName)?.name} +${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: `;
      return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
};

describe('code blocks in README.md and docs/', () => {
  // the README and the ONNX Runtime recipe run onnxruntime-node, whose outputs come from Node's main context
  useCrossContextFloat32Array();
  const runDir = join(root, `.docs-run-${process.pid}`);
  const logs: unknown[][] = [];
  beforeAll(() => {
    mkdirSync(runDir, { recursive: true });
    (globalThis as { __docsConsole?: unknown }).__docsConsole = { ...console, log: (...a: unknown[]) => logs.push(a) };
  });
  afterAll(() => rmSync(runDir, { recursive: true, force: true }));

  it('exist: the README has a Quick start example', () => {
    expect(blocks.filter((b) => b.name.startsWith('README.md')).length).toBeGreaterThan(0);
  });

  it('type-check against the source', () => {
    expect(typeErrors()).toEqual([]);
  }, 60_000);

  const runBlock = async (block: Block, i: number) => {
    let js = ts.transpileModule(block.code, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    for (const [id, path] of Object.entries(MODULES)) {
      if (id === 'onnxruntime-node') continue; // the package itself, only its types are mapped
      const target = relative(runDir, join(root, path)).replace(/\.ts$/, '');
      js = js.split(`require("${id}")`).join(`require(${JSON.stringify(target)})`);
    }
    // Top-level await: the block runs as the body of an async function whose promise the module exports.
    const file = join(runDir, `block${i}.js`);
    writeFileSync(file, `const console = globalThis.__docsConsole;\nmodule.exports = (async () => {\n${js}\n})();\n`);
    // jest's own require, so that the block's imports of the TypeScript source go through the same transform
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await require(file);
  };

  const ok = blocks.map((b, i) => [b.name, b, i] as const).filter(([name]) => !(name in KNOWN_FAILING));
  const failing = blocks.map((b, i) => [b.name, b, i] as const).filter(([name]) => name in KNOWN_FAILING);
  it.each(ok)('%s runs', async (_name, block, i) => runBlock(block, i), 30_000);
  if (failing.length > 0) test.failing.each(failing)('%s is known to fail (see KNOWN_FAILING)', async (_name, block, i) => runBlock(block, i), 30_000);
});
