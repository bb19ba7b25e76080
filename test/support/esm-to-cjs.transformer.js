// Nest 12 and several of its dependencies ship as ESM only. Node 20 can require() them,
// but Jest's own module loader only learns require(esm) on Node 24.9+, so under Jest we
// compile those files to CommonJS. Files that are already CommonJS pass through untouched.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');
const crypto = require('node:crypto');

const typeCache = new Map();

function packageType(dir) {
  if (typeCache.has(dir)) return typeCache.get(dir);
  let type = 'commonjs';
  const pkg = path.join(dir, 'package.json');
  if (fs.existsSync(pkg)) {
    try {
      type = JSON.parse(fs.readFileSync(pkg, 'utf8')).type === 'module' ? 'module' : 'commonjs';
    } catch {
      type = 'commonjs';
    }
  } else {
    const parent = path.dirname(dir);
    type = parent === dir ? 'commonjs' : packageType(parent);
  }
  typeCache.set(dir, type);
  return type;
}

function isEsm(filename) {
  if (filename.endsWith('.mjs')) return true;
  if (filename.endsWith('.cjs')) return false;
  return packageType(path.dirname(filename)) === 'module';
}

module.exports = {
  getCacheKey(source, filename) {
    return crypto.createHash('sha1').update('esm-to-cjs-v4').update(filename).update(source).digest('hex');
  },
  process(source, filename) {
    if (!isEsm(filename)) return { code: source };
    // ESM code that rebuilds `require` with createRequire(import.meta.url) gets CommonJS's own.
    const cjsReady = source
      .replace(/\bconst require = createRequire\(import\.meta\.url\);?/g, '')
      .replace(/\bimport\.meta\.url\b/g, 'require("node:url").pathToFileURL(__filename).href')
      .replace(/\bimport\.meta\.resolve\b/g, 'require.resolve')
      .replace(/\bimport\.meta\.dirname\b/g, '__dirname')
      .replace(/\bimport\.meta\.filename\b/g, '__filename');
    const out = ts.transpileModule(cjsReady, {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        allowJs: true,
        esModuleInterop: true,
        sourceMap: false,
      },
    });
    return { code: out.outputText };
  },
};
