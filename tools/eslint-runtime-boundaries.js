// ESLint rule: each source folder runs in one runtime (pure, Node, Electron, DOM) and may import
// only what that runtime has and only the folders it is allowed to depend on.
import { builtinModules } from 'node:module';
import path from 'node:path';

/** @typedef {'shared' | 'core' | 'shell' | 'renderer' | 'server' | 'cli'} Layer */

/** Folder prefix (relative to the repository root, with a trailing slash) → layer; first match wins. */
export const LAYER_OF_FOLDER = /** @type {const} */ ([
  ['shared/', 'shared'],
  ['electron/shell/', 'shell'],
  ['electron/', 'core'],
  ['renderer/', 'renderer'],
  ['server/', 'server'],
  ['cli/', 'cli'],
]);

/** What each layer may import: project layers, Node built-ins, and npm packages. */
export const RULES = {
  shared: { layers: ['shared'], node: false, packages: { allow: ['zod', 'libphonenumber-js', 'es-hangul'] } },
  core: { layers: ['shared', 'core'], node: true, packages: { deny: ['electron', 'react', 'react-dom', 'fastify'] } },
  shell: { layers: ['shared', 'shell', 'core'], node: true, packages: { deny: ['react', 'react-dom', 'fastify'] } },
  renderer: { layers: ['shared', 'renderer'], node: false, packages: { deny: ['electron', 'better-sqlite3', 'ws', 'fastify'] } },
  server: { layers: ['shared', 'server'], node: true, packages: { deny: ['electron', 'react', 'react-dom'] } },
  cli: { layers: ['shared', 'server', 'core', 'cli'], node: true, packages: { deny: ['electron', 'react', 'react-dom'] } },
};

const NODE_BUILTINS = new Set(builtinModules);

/** @param {string} rel @returns {Layer | null} */
export function layerOf(rel) {
  const p = rel.split(path.sep).join('/');
  for (const [prefix, layer] of LAYER_OF_FOLDER) if (p.startsWith(prefix)) return layer;
  return null;
}

/** @param {string} source @returns {string} */
function packageName(source) {
  const parts = source.split('/');
  return source.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? source);
}

/**
 * Why `source`, imported from a file of `layer` at `fileAbs`, breaks the boundaries; null if allowed.
 * @param {Layer} layer @param {string} source @param {string} fileAbs @param {string} root
 */
export function violation(layer, source, fileAbs, root) {
  const rule = RULES[layer];
  if (source.startsWith('.') || source.startsWith('/')) {
    const target = path.relative(root, path.resolve(path.dirname(fileAbs), source));
    const targetLayer = layerOf(target);
    if (targetLayer === null) {
      return target.startsWith('..') || target.startsWith('test/') ? `${layer} code may not import ${target}` : null;
    }
    return rule.layers.includes(targetLayer) ? null : `${layer} code may not import ${targetLayer} code (${target})`;
  }
  if (source.startsWith('node:') || NODE_BUILTINS.has(source)) {
    return rule.node ? null : `${layer} code runs without Node: it may not import ${source}`;
  }
  const name = packageName(source);
  if ('allow' in rule.packages) {
    return rule.packages.allow.includes(name) ? null : `${layer} code is pure: ${name} is not on its package allow-list`;
  }
  return rule.packages.deny.includes(name) ? `${layer} code may not import ${name}` : null;
}

/** @type {import('eslint').Rule.RuleModule} */
export const runtimeBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep each folder to the imports its runtime allows' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: { boundary: '{{why}}' },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = context.filename;
    const layer = layerOf(path.relative(root, file));
    if (!layer) return {};
    /** @param {import('estree').Node} node @param {unknown} source */
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      const why = violation(layer, source, file, root);
      if (why) context.report({ node, messageId: 'boundary', data: { why } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) => {
        const [arg] = node.arguments;
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && arg?.type === 'Literal') check(node, arg.value);
      },
    };
  },
};

export default { rules: { 'runtime-boundaries': runtimeBoundaries } };
