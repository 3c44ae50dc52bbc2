// The package boundaries of issue 8, checked instead of trusted: the server
// reaches into the browser package only through 'wd-video/contract'; the
// browser package depends on, imports and ships only what browsers load; and
// each package's tsconfig rejects the other target's globals.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// This file runs as build/test/node/packages/boundaries.test.js.
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const browserDir = join(root, 'packages', 'wd-video');
const serverDir = join(root, 'packages', 'server');
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** The package's compiler options and source files, as its tsconfig.json gives them. */
function tsconfig(dir: string) {
  const file = join(dir, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  assert.equal(error, undefined, `cannot read ${file}`);
  return ts.parseJsonConfigFileContent(config, ts.sys, dir, undefined, file);
}

/** Every module specifier (static, type-only, re-export, dynamic) in the package's sources, with the file and, if relative, the path it names. */
function imports(dir: string) {
  return tsconfig(dir).fileNames.flatMap((file) =>
    ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => ({
      file: file.slice(root.length),
      spec: f.fileName,
      path: f.fileName.startsWith('.') ? resolve(dirname(file), f.fileName) : undefined,
    })),
  );
}

/** 'lit/decorators.js' -> 'lit', '@lit/context' -> '@lit/context'; null for relative and '#' imports. */
function packageOf(spec: string): string | null {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('#')) return null;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const isBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]);

describe('the server package', () => {
  it("imports nothing of the browser package but 'wd-video/contract'", () => {
    const found = imports(serverDir);
    assert.ok(found.some((i) => i.spec === 'wd-video/contract'), 'the scan found no contract import: is it reading the server sources?');
    const offenders = found.filter(
      (i) => (packageOf(i.spec) === 'wd-video' && i.spec !== 'wd-video/contract') || i.path?.startsWith(browserDir + sep),
    );
    assert.deepEqual(offenders, [], 'server sources reaching into the browser package');
  });
});

describe('the browser package', () => {
  const pkg = readJson(join(browserDir, 'package.json'));
  const deps = Object.keys(pkg.dependencies ?? {});
  // nats.ws is both packages' NATS client (the server's history service uses it too): not a server-only library.
  const serverLibs = Object.keys(readJson(join(serverDir, 'package.json')).dependencies ?? {}).filter((d) => d !== 'wd-video' && !deps.includes(d));
  const found = imports(browserDir);

  it('imports no Node builtin and no server library', () => {
    const offenders = found.filter((i) => isBuiltin(i.spec) || serverLibs.includes(packageOf(i.spec) ?? '') || ['ws', '@wd-video/server'].includes(packageOf(i.spec) ?? ''));
    assert.deepEqual(offenders, []);
  });

  it('depends on exactly the packages its sources import', () => {
    const used = new Set(found.map((i) => packageOf(i.spec)).filter((p): p is string => p !== null && p !== pkg.name));
    assert.ok(used.size > 0, 'the scan found no package import: is it reading the browser sources?');
    assert.deepEqual(deps.filter((d) => !used.has(d)), [], 'dependencies no browser source imports');
    assert.deepEqual([...used].filter((p) => !deps.includes(p)), [], 'imports of undeclared packages');
  });

  it('packs only the build, the bundles and the manifest', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '-w', 'wd-video'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const paths: string[] = JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
    const allowed = [/^build\/signaling\//, /^build\/elements\//, /^build\/cdn\.[^/]+$/, /^dist\//, /^custom-elements\.json$/, /^package\.json$/, /^(README|LICENSE)(\.\w+)?$/i];
    assert.deepEqual(paths.filter((p) => !allowed.some((re) => re.test(p))), [], 'files outside the allowed set');
    assert.deepEqual(paths.filter((p) => /\.test\.|(^|\/)(test|server)\//.test(p)), [], 'tests or server code in the package');
    for (const p of ['package.json', 'build/signaling/index.js', 'build/elements/index.js', 'dist/wd-video.js', 'custom-elements.json']) {
      assert.ok(paths.includes(p), `${p} missing from the package (is it built?)`);
    }
  });
});

describe('one tsconfig per target', () => {
  /** Type-check `source` as a file of the package folder, with the package's compiler options; the names it cannot find. */
  function missingNames(dir: string, source: string): string[] {
    const file = join(dir, '__boundary_check__.ts');
    const options = { ...tsconfig(dir).options, noEmit: true };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) => (name === file ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, ...rest));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram([file], options, host);
    return program
      .getSemanticDiagnostics(program.getSourceFile(file))
      .map((d) => /Cannot find name '(\w+)'/.exec(ts.flattenDiagnosticMessageText(d.messageText, '\n'))?.[1])
      .filter((n): n is string => n !== undefined);
  }
  const snippet = "export const fromNode = Buffer.from('x');\nexport const fromDom = document.title;\n";

  it('the browser package knows the DOM and rejects Buffer', () => {
    assert.deepEqual(missingNames(browserDir, snippet), ['Buffer']);
  });

  it('the server package knows Node and rejects document', () => {
    assert.deepEqual(missingNames(serverDir, snippet), ['document']);
  });
});
